package dev.polyrun.coordinator;

import dev.polyrun.proto.v1.ExecutorServiceGrpc;
import dev.polyrun.proto.v1.Language;
import dev.polyrun.proto.v1.Limits;
import dev.polyrun.proto.v1.SourceFile;
import dev.polyrun.proto.v1.SubmitRequest;
import dev.polyrun.queue.QueueOptions;
import dev.polyrun.queue.RedisAdmission;
import dev.polyrun.queue.RedisQueue;
import dev.polyrun.queue.testing.TestRedis;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A coordinator on free ports over a real redis-server, without a worker: the queue advertises
 * python as a worker would, so jobs are accepted and wait. Tenants: {@link #KEY} without quotas,
 * {@link #QUOTA_KEY} with one active job at most. Register with {@code @RegisterExtension static}.
 */
final class TestCoordinator implements BeforeAllCallback, AfterAllCallback {
  static final String KEY = "k-interop";
  static final String QUOTA_KEY = "k-quota";
  TestRedis redis;
  RedisQueue queue;
  RedisAdmission admission;

  /** The test's Vert.x, which the coordinator is started on (as an embedding application would). */
  Vertx vertx;

  Coordinator coordinator;
  ManagedChannel channel;

  @Override
  public void beforeAll(ExtensionContext context) {
    redis = TestRedis.start();
    QueueOptions options = QueueOptions.defaults();
    queue = RedisQueue.connect(redis.settings(), options, Duration.ofSeconds(2));
    admission = RedisAdmission.connect(redis.settings(), options);
    queue.advertise(
        List.of(
            Language.newBuilder()
                .setName("python")
                .setVersion("3.11.2")
                .setSourceFile("main.py")
                .setDefaultRunLimits(
                    Limits.newBuilder().setWallTimeMs(5000).setMemoryBytes(256L << 20))
                .build()));
    Tenants tenants =
        Tenants.of(
            List.of(
                new Tenant("interop", Set.of(Tenants.sha256Hex(KEY)), 0, 0, 1, Optional.empty()),
                new Tenant(
                    "quota", Set.of(Tenants.sha256Hex(QUOTA_KEY)), 1, 0, 1, Optional.empty())));
    vertx = Vertx.vertx();
    coordinator =
        Coordinator.builder()
            .vertx(vertx)
            .queue(queue)
            .admission(admission)
            .options(
                CoordinatorOptions.builder()
                    .host("127.0.0.1")
                    .grpcPort(0)
                    .httpPort(0)
                    .auth(AuthMode.KEYS)
                    .tenants(tenants)
                    .build())
            .start();
    channel =
        ManagedChannelBuilder.forAddress("127.0.0.1", coordinator.grpcPort())
            .usePlaintext()
            .build();
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    coordinator.close();
    vertx.close().await();
    admission.close();
    queue.close();
    redis.close();
  }

  /** A blocking stub that sends {@code authorization: Bearer <apiKey>}, with a 20 s deadline. */
  ExecutorServiceGrpc.ExecutorServiceBlockingStub as(String apiKey) {
    Metadata headers = new Metadata();
    headers.put(
        Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + apiKey);
    return ExecutorServiceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(20, TimeUnit.SECONDS)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  static SubmitRequest python(String source) {
    return SubmitRequest.newBuilder()
        .setLanguage("python")
        .addFiles(
            SourceFile.newBuilder().setContent(com.google.protobuf.ByteString.copyFromUtf8(source)))
        .build();
  }
}
