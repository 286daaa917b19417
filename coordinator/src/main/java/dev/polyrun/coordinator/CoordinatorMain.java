package dev.polyrun.coordinator;

import dev.polyrun.config.Settings;
import dev.polyrun.queue.QueueOptions;
import dev.polyrun.queue.QueueSettings;
import dev.polyrun.queue.RedisAdmission;
import dev.polyrun.queue.RedisQueue;
import dev.polyrun.queue.RedisQueueStats;
import dev.polyrun.telemetry.Logging;
import dev.polyrun.telemetry.Telemetry;
import dev.polyrun.telemetry.TelemetryOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point of the coordinator. Settings come from the environment ({@code POLYRUN_*}) or a
 * properties file named by {@code --config} / {@code POLYRUN_CONFIG}; {@link CoordinatorSettings}
 * reads them (the coordinator's README lists every key).
 */
public final class CoordinatorMain {
  private static final Logger log = LoggerFactory.getLogger(CoordinatorMain.class);

  private CoordinatorMain() {}

  public static void main(String[] args) throws Exception {
    Path config = args.length == 2 && args[0].equals("--config") ? Path.of(args[1]) : null;
    Settings settings = Settings.load(config);
    CoordinatorOptions options;
    QueueOptions queueOptions;
    TelemetryOptions telemetryOptions;
    try {
      if (settings.get("log.format", null) != null || settings.get("log.level", null) != null) {
        Logging.apply(settings.get("log.format", null), settings.get("log.level", null));
      }
      options = CoordinatorSettings.read(settings);
      queueOptions =
          QueueSettings.queueOptions(settings).toBuilder()
              .durability(CoordinatorSettings.durability(settings))
              .build();
      telemetryOptions =
          TelemetryOptions.fromSettings("polyrun-coordinator", key -> settings.get(key, null))
              .prometheus(TelemetryOptions.Prometheus.IN_PROCESS)
              .build();
    } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
      log.error("bad configuration: {}", e.getMessage());
      System.exit(2);
      return;
    }
    // Nothing here needs Redis yet: the coordinator serves (not ready, every call UNAVAILABLE)
    // while it waits for Redis, instead of exiting when Redis starts after it.
    Telemetry telemetry = Telemetry.start(telemetryOptions);
    RedisQueue queue =
        RedisQueue.create(CoordinatorSettings.redis(settings), queueOptions, Duration.ofSeconds(1));
    RedisAdmission admission = RedisAdmission.sharing(queue, queueOptions);
    RedisQueueStats stats =
        RedisQueueStats.connect(
            CoordinatorSettings.redis(settings),
            queueOptions,
            settings.getInt("telemetry.queue-sample", 2_000, 1, 1_000_000));
    Coordinator coordinator =
        Coordinator.builder()
            .queue(queue)
            .admission(admission)
            .options(options)
            .telemetry(telemetry)
            .stats(stats)
            .start();
    log.info(
        "telemetry: OTLP {}, Prometheus on the HTTP port's /metrics",
        telemetryOptions
            .otlpEndpoint()
            .or(() -> java.util.Optional.ofNullable(System.getenv("OTEL_EXPORTER_OTLP_ENDPOINT")))
            .map(e -> "to " + e)
            .orElse("off"));
    log.info(
        "coordinator listening: gRPC {}:{} ({}), HTTP {}:{}, redis {}, auth {} ({} tenants)",
        options.host(),
        coordinator.grpcPort(),
        options.tls().isPresent() ? "TLS" : "plaintext",
        options.host(),
        coordinator.httpPort(),
        QueueSettings.redis(settings).address(),
        options.auth().name().toLowerCase(java.util.Locale.ROOT),
        options.tenants().all().size());
    if (options.auth() == AuthMode.NONE) {
      log.warn(
          "coordinator.auth=none: every caller is accepted without an API key; for local use only");
    }
    RedisWait.awaitRedis(queue, QueueSettings.redis(settings).address());
    if (!RedisWait.durabilityHolds(queue, queueOptions.durability())) {
      coordinator.close();
      System.exit(2);
    }
    CountDownLatch stop = new CountDownLatch(1);
    for (String name : new String[] {"TERM", "INT"}) {
      sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> stop.countDown());
    }
    stop.await();
    Duration drain = settings.getDuration("coordinator.drain-period", Duration.ofSeconds(10));
    log.info("stopping: no new calls; open streams get {} to end", drain);
    coordinator.shutdown(drain);
    stats.close();
    admission.close();
    queue.close();
    telemetry.close();
    System.exit(0);
  }
}
