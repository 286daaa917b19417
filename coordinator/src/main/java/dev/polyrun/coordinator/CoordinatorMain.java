package dev.polyrun.coordinator;

import dev.polyrun.queue.RedisQueue;
import dev.polyrun.queue.Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point of the coordinator. Settings (environment {@code POLYRUN_*} or a properties file
 * named by {@code --config} / {@code POLYRUN_CONFIG}): {@code redis.address},
 * {@code redis.password}, {@code coordinator.host} (default 127.0.0.1),
 * {@code coordinator.grpc-port} (50051), {@code coordinator.http-port} (8080),
 * {@code queue.prefix}, {@code queue.job-ttl}.
 */
public final class CoordinatorMain {
  private static final Logger log = LoggerFactory.getLogger(CoordinatorMain.class);

  private CoordinatorMain() {}

  public static void main(String[] args) throws Exception {
    Path config = args.length == 2 && args[0].equals("--config") ? Path.of(args[1]) : null;
    Settings settings = Settings.load(config);
    CoordinatorOptions options =
        new CoordinatorOptions(
            settings.get("coordinator.host", "127.0.0.1"),
            settings.getInt("coordinator.grpc-port", 50051, 0, 65535),
            settings.getInt("coordinator.http-port", 8080, 0, 65535),
            ServerLimits.defaults());
    RedisQueue queue = RedisQueue.connect(settings.redis(), settings.queueOptions(), Duration.ofSeconds(1));
    Coordinator coordinator = Coordinator.start(queue, options);
    log.info("coordinator listening: gRPC {}:{}, HTTP {}:{}, redis {}", options.host(), coordinator.grpcPort(),
        options.host(), coordinator.httpPort(), settings.redis().address());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      coordinator.close();
      queue.close();
      stopped.countDown();
    }, "polyrun-shutdown"));
    stopped.await();
  }
}
