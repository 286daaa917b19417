package dev.polyrun.worker;

import dev.polyrun.queue.QueueOptions;
import dev.polyrun.queue.RedisQueue;
import dev.polyrun.config.Settings;
import dev.polyrun.queue.QueueSettings;
import dev.polyrun.worker.internal.job.JobMetrics;
import dev.polyrun.worker.internal.job.JobRunner;
import dev.polyrun.worker.language.LanguageCatalog;
import dev.polyrun.sandbox.PolicyOverride;
import dev.polyrun.sandbox.Sandbox;
import dev.polyrun.sandbox.SandboxOptions;
import dev.polyrun.sandbox.SandboxUnavailableException;
import io.opentelemetry.exporter.prometheus.PrometheusHttpServer;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
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
 * {@code worker.id}, {@code worker.runtime}, {@code worker.sandbox-policy} (the operator's
 * override of the sandbox policy, a JSON file), {@code worker.grace-period},
 * {@code worker.metrics-port} (off unless set; serves Prometheus text on 127.0.0.1),
 * {@code queue.lease}, {@code queue.max-deliveries}. SIGTERM drains and exits 0.
 */
public final class WorkerMain {
  private static final Logger log = LoggerFactory.getLogger(WorkerMain.class);

  private WorkerMain() {}

  public static void main(String[] args) throws Exception {
    Path config = args.length == 2 && args[0].equals("--config") ? Path.of(args[1]) : null;
    Settings settings = Settings.load(config);
    String workerId = settings.get("worker.id", InetAddress.getLocalHost().getHostName() + "-" + ProcessHandle.current().pid());
    QueueOptions queueOptions = QueueSettings.queueOptions(settings);
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
            .runtime(settings.get("worker.runtime", "runc"))
            .slots(options.slots());
    String policyFile = settings.get("worker.sandbox-policy", "");
    if (!policyFile.isEmpty()) {
      sandboxOptions.operatorPolicy(PolicyOverride.load(Path.of(policyFile), PolicyOverride.Scope.OPERATOR));
    }
    Path imageDir = Path.of(settings.get("image.dir", "/var/lib/polyrun/images"));
    LanguageCatalog catalog = LanguageCatalog.load(imageDir);
    if (catalog.isEmpty()) {
      log.warn("no built images in {}: build them with images/build", imageDir);
    }
    io.opentelemetry.sdk.metrics.SdkMeterProviderBuilder meters = SdkMeterProvider.builder();
    int metricsPort = settings.getInt("worker.metrics-port", 0, 0, 65535);
    if (metricsPort > 0) {
      meters.registerMetricReader(PrometheusHttpServer.builder().setHost("127.0.0.1").setPort(metricsPort).build());
    }
    OpenTelemetrySdk otel = OpenTelemetrySdk.builder().setMeterProvider(meters.build()).build();

    Sandbox sandbox;
    try {
      sandbox = Sandbox.open(sandboxOptions.build());
    } catch (SandboxUnavailableException | IllegalArgumentException e) {
      // Less isolation than configured is no option: refuse to start, and say why.
      log.error("cannot start: {}", e.getMessage());
      System.exit(2);
      return;
    }
    log.info("sandbox: {}", sandbox.facts().describe());
    sandbox.sweep();
    RedisQueue queue = connect(settings, queueOptions);
    JobMetrics metrics = new JobMetrics(otel.getMeter("polyrun.worker"));
    JobRunner runner = new JobRunner(queue, sandbox, catalog, metrics, new JobRunner.WorkDirSize(64L << 20, 4096));
    Worker worker = new Worker(queue, runner, catalog, options, metrics);
    CountDownLatch stop = new CountDownLatch(1);
    for (String name : new String[] {"TERM", "INT"}) {
      sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> stop.countDown());
    }
    worker.start();
    log.info("worker {} uses cgroup {}, redis {}, images {}", workerId, sandbox.facts().cgroupVersion(),
        QueueSettings.redis(settings).address(), imageDir);
    stop.await();
    log.info("stopping: no new jobs; running jobs get {} to finish", options.gracePeriod());
    worker.close();
    sandbox.close();
    queue.close();
    otel.close();
    System.exit(0);
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
