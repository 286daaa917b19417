package dev.polyrun.worker;

import dev.polyrun.queue.QueueOptions;
import dev.polyrun.queue.RedisQueue;
import dev.polyrun.config.Settings;
import dev.polyrun.queue.Durability;
import dev.polyrun.queue.QueueSettings;
import dev.polyrun.worker.internal.job.JobMetrics;
import dev.polyrun.worker.internal.job.JobRunner;
import dev.polyrun.worker.language.LanguageCatalog;
import dev.polyrun.sandbox.PolicyOverride;
import dev.polyrun.sandbox.Sandbox;
import dev.polyrun.sandbox.SandboxOptions;
import dev.polyrun.sandbox.SandboxUnavailableException;
import dev.polyrun.queue.WorkQueue;
import dev.polyrun.telemetry.Logging;
import dev.polyrun.telemetry.Telemetry;
import dev.polyrun.telemetry.TelemetryOptions;
import dev.polyrun.worker.internal.telemetry.WorkerTelemetry;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point of the worker daemon. Settings (environment {@code POLYRUN_*} or a properties file
 * named by {@code --config} / {@code POLYRUN_CONFIG}): {@code redis.address},
 * {@code redis.password}, {@code image.dir}, {@code worker.state-dir}, {@code worker.slots},
 * {@code worker.id}, {@code worker.runtime}, {@code worker.durability} ({@code memory} or {@code replica:N}: results wait for N replicas,
 * {@code worker.durability-timeout} each), {@code worker.languages} (comma-separated: the
 * languages this worker takes jobs of; default every built image), {@code worker.sandbox-policy} (the operator's
 * override of the sandbox policy, a JSON file), {@code worker.grace-period},
 * {@code telemetry.prometheus.port} (or {@code worker.metrics-port}; off unless set; serves
 * Prometheus text on {@code telemetry.prometheus.host}, default 127.0.0.1), {@code
 * telemetry.otlp.endpoint} and the other {@code telemetry.*} keys of the telemetry module, {@code
 * log.format}, {@code log.level}, {@code queue.lease}, {@code queue.max-deliveries}. SIGTERM drains
 * and exits 0.
 */
public final class WorkerMain {
  private static final Logger log = LoggerFactory.getLogger(WorkerMain.class);

  private WorkerMain() {}

  public static void main(String[] args) throws Exception {
    Path config = args.length == 2 && args[0].equals("--config") ? Path.of(args[1]) : null;
    Settings settings = Settings.load(config);
    String workerId = settings.get("worker.id", InetAddress.getLocalHost().getHostName() + "-" + ProcessHandle.current().pid());
    // worker.durability: replica:N makes a worker wait for N replicas to hold a result before it
    // acknowledges the delivery, so that a failover does not run a finished job again
    QueueOptions queueOptions = QueueSettings.queueOptions(settings).toBuilder()
        .durability(Durability.parse(settings.get("worker.durability", "memory"),
            settings.getDuration("worker.durability-timeout", Durability.DEFAULT_TIMEOUT)))
        .build();
    WorkerOptions options =
        new WorkerOptions(
            workerId,
            settings.getInt("worker.slots", 1, 1, 256),
            Duration.ofSeconds(2),
            settings.getDuration("worker.grace-period", Duration.ofSeconds(25)),
            queueOptions.lease().dividedBy(3));
    SandboxOptions.Builder sandboxOptions =
        SandboxOptions.builder()
            .stateDirectory(Path.of(settings.get("worker.state-dir", "/var/lib/polyrun/worker")))
            .runtime(settings.get("worker.runtime", SandboxOptions.LAUNCHER))
            .slots(options.slots());
    String policyFile = settings.get("worker.sandbox-policy", "");
    if (!policyFile.isEmpty()) {
      sandboxOptions.operatorPolicy(PolicyOverride.load(Path.of(policyFile), PolicyOverride.Scope.OPERATOR));
    }
    Path imageDir = Path.of(settings.get("image.dir", "/var/lib/polyrun/images"));
    // worker.languages: the languages this worker serves (default: every built image), so that one
    // host's images can be split between pools of a mixed fleet
    java.util.List<String> serve = java.util.Arrays.stream(settings.get("worker.languages", "").split(","))
        .map(String::strip).filter(n -> !n.isEmpty()).toList();
    LanguageCatalog catalog = LanguageCatalog.load(imageDir).only(serve);
    if (catalog.isEmpty()) {
      log.warn("no built images in {}: build them with images/build", imageDir);
    }
    Telemetry otel = Telemetry.start(telemetryOptions(settings, workerId, options.slots(), catalog));
    WorkerTelemetry telemetry = new WorkerTelemetry(otel.openTelemetry(), workerId);
    Path stateDir = Path.of(settings.get("worker.state-dir", "/var/lib/polyrun/worker"));
    telemetry.filesystems(java.util.Map.of("images", imageDir, "state", stateDir));

    Sandbox opened;
    try {
      opened = Sandbox.open(sandboxOptions.build());
    } catch (SandboxUnavailableException | IllegalArgumentException e) {
      // Less isolation than configured is no option: refuse to start, and say why.
      log.error("cannot start: {}", e.getMessage());
      System.exit(2);
      return;
    }
    log.info("sandbox: {}", opened.facts().describe());
    telemetry.sandboxFacts(opened.facts());
    opened.sweep();
    Sandbox sandbox = telemetry.sandbox(opened);
    RedisQueue redisQueue = connect(settings, queueOptions);
    WorkQueue queue = telemetry.queue(redisQueue);
    JobMetrics metrics = new JobMetrics(otel.meter("polyrun.worker"));
    JobRunner runner = new JobRunner(queue, sandbox, catalog, metrics, JobRunner.WorkDirSize.of(opened.policy()));
    Worker worker = new Worker(queue, runner, catalog, options, metrics, telemetry);
    CountDownLatch stop = new CountDownLatch(1);
    for (String name : new String[] {"TERM", "INT"}) {
      sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> stop.countDown());
    }
    worker.start();
    log.info("worker {} uses cgroup {}, redis {}, images {}, metrics {}", workerId, opened.facts().cgroupVersion(),
        QueueSettings.redis(settings).address(), imageDir, otel.prometheusPort().isPresent()
            ? "on 127.0.0.1:" + otel.prometheusPort().getAsInt() + "/metrics" : "by OTLP only (no scrape port)");
    stop.await();
    log.info("stopping: no new jobs; running jobs get {} to finish", options.gracePeriod());
    worker.close();
    opened.close();
    redisQueue.close();
    otel.close();
    System.exit(0);
  }

  /** The worker's telemetry settings: its id, slots and languages go into the resource. */
  private static TelemetryOptions telemetryOptions(Settings settings, String workerId, int slots, LanguageCatalog catalog) {
    if (settings.get("log.format", null) != null || settings.get("log.level", null) != null) {
      Logging.apply(settings.get("log.format", null), settings.get("log.level", null));
    }
    TelemetryOptions.Builder b = TelemetryOptions.fromSettings("polyrun-worker", key -> settings.get(key, null))
        .instanceId(workerId)
        .attribute("polyrun.worker.slots", (long) slots)
        .attribute("polyrun.worker.languages", catalog.all().stream().map(l -> l.definition().name()).sorted().toList())
        .prometheus(TelemetryOptions.Prometheus.OFF);
    int port = settings.getInt("telemetry.prometheus.port", settings.getInt("worker.metrics-port", 0, 0, 65535), 0, 65535);
    if (port > 0) {
      b.prometheusServer(settings.get("telemetry.prometheus.host", "127.0.0.1"), port);
    }
    return b.build();
  }

  /** Connects to Redis, retrying with backoff while it is not reachable yet. */
  private static RedisQueue connect(Settings settings, QueueOptions queueOptions) throws InterruptedException {
    long pause = 200;
    while (true) {
      try {
        return RedisQueue.connect(QueueSettings.redis(settings), queueOptions, Duration.ofSeconds(2));
      } catch (dev.polyrun.queue.QueueUnavailableException e) {
        log.warn("redis at {} unreachable, retrying: {}", QueueSettings.redis(settings).address(), e.getMessage());
        Thread.sleep(pause);
        pause = Math.min(pause * 2, 5000);
      }
    }
  }
}
