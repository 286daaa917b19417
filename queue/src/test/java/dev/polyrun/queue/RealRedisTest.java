package dev.polyrun.queue;

import com.google.protobuf.ByteString;
import dev.polyrun.proto.v1.SourceFile;
import dev.polyrun.proto.v1.SubmitRequest;
import dev.polyrun.queue.testing.TestRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import redis.clients.jedis.RedisClient;

/** Base of the tests against one real Redis per class: emptied and reconnected for each test. */
abstract class RealRedisTest {
  static TestRedis server;
  static RedisClient raw;

  /** The names of the keys the tests look at, as the queue names them. */
  static final dev.polyrun.queue.internal.Keys keys =
      new dev.polyrun.queue.internal.Keys("polyrun");

  static final dev.polyrun.queue.internal.AdmissionKeys tenantKeys =
      new dev.polyrun.queue.internal.AdmissionKeys("polyrun");
  private final List<AutoCloseable> opened = new ArrayList<>();

  @BeforeAll
  static void startRedis() {
    server = TestRedis.start();
    raw = RedisClient.create(server.host(), server.port());
  }

  @AfterAll
  static void stopRedis() {
    raw.close();
    server.close();
  }

  /** Empties Redis and connects a queue with {@code options}; closed after the test. */
  RedisQueue freshQueue(QueueOptions options) {
    raw.flushAll();
    RedisQueue queue = RedisQueue.connect(server.settings(), options, Duration.ofSeconds(2));
    opened.add(queue);
    return queue;
  }

  @AfterEach
  void closeQueues() throws Exception {
    for (AutoCloseable c : opened) {
      c.close();
    }
    opened.clear();
  }

  /** A one-file Python program. */
  static SubmitRequest python(String source) {
    return SubmitRequest.newBuilder()
        .setLanguage("python")
        .addFiles(SourceFile.newBuilder().setContent(ByteString.copyFromUtf8(source)))
        .build();
  }
}
