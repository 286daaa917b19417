package dev.polyrun.worker;

import dev.polyrun.queue.QueueUnavailableException;
import dev.polyrun.queue.RedisQueue;
import dev.polyrun.queue.WorkQueue;
import dev.polyrun.sandbox.Sandbox;
import dev.polyrun.sandbox.SandboxUnavailableException;
import dev.polyrun.telemetry.Telemetry;
import dev.polyrun.worker.internal.job.JobMetrics;
import dev.polyrun.worker.internal.job.JobRunner;
import dev.polyrun.worker.internal.telemetry.WorkerTelemetry;
import dev.polyrun.worker.language.LanguageCatalog;
import io.opentelemetry.api.OpenTelemetry;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Assembles a {@link Worker} from its {@link WorkerSettings}: loads the language catalog, and opens
 * the telemetry, the sandbox and the queue unless the caller hands one in. What the builder opened,
 * the worker closes; what the caller handed in stays the caller's. Obtain one with {@link
 * Worker#builder(WorkerSettings)}; not thread-safe.
 */
public final class WorkerBuilder {
  private static final Logger log = LoggerFactory.getLogger(WorkerBuilder.class);
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
  private final WorkerSettings settings;
  private WorkQueue queue;
  private Sandbox sandbox;
  private Telemetry telemetry;
  private OpenTelemetry openTelemetry;

  WorkerBuilder(WorkerSettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  /**
   * An open queue for the worker to use instead of connecting to {@link WorkerSettings#redis()};
   * the caller closes it, after the worker. Its options should be {@link
   * WorkerSettings#queueOptions()}: the lease renewals are paced by their lease.
   */
  public WorkerBuilder queue(WorkQueue queue) {
    this.queue = Objects.requireNonNull(queue, "queue");
    return this;
  }

  /**
   * An open sandbox with at least {@link WorkerSettings#slots()} slots, instead of one opened on
   * {@link WorkerSettings#sandboxOptions()}; the caller swept it and closes it, after the worker.
   */
  public WorkerBuilder sandbox(Sandbox sandbox) {
    this.sandbox = Objects.requireNonNull(sandbox, "sandbox");
    return this;
  }

  /**
   * The process's telemetry, instead of one started on {@link WorkerSettings#telemetry()}; the
   * caller closes it.
   */
  public WorkerBuilder telemetry(Telemetry telemetry) {
    this.telemetry = Objects.requireNonNull(telemetry, "telemetry");
    this.openTelemetry = null;
    return this;
  }

  /**
   * Instrumentation to record the worker's traces and metrics with (e.g. {@link
   * OpenTelemetry#noop()} in tests), instead of a telemetry started on {@link
   * WorkerSettings#telemetry()}.
   */
  public WorkerBuilder openTelemetry(OpenTelemetry otel) {
    this.openTelemetry = Objects.requireNonNull(otel, "openTelemetry");
    this.telemetry = null;
    return this;
  }

  /**
   * The worker, not started yet. Opens, in this order, what was not handed in: the telemetry, the
   * sandbox (then sweeps what a crashed worker left in its state directory), the queue (retrying
   * with backoff, up to 5 s apart, while Redis does not answer). When a step fails, what was opened
   * before it is closed again.
   *
   * @throws SandboxUnavailableException when the sandbox policy cannot take effect on this host
   * @throws IOException when the sandbox's state directory cannot be made
   * @throws InterruptedException when interrupted while waiting for Redis
   */
  public Worker build() throws IOException, InterruptedException {
    LanguageCatalog catalog = catalog();
    OpenedParts opened = new OpenedParts();
    try {
      OpenTelemetry otel = openTelemetry(catalog, opened);
      WorkerTelemetry traced = new WorkerTelemetry(otel, settings.workerId());
      traced.filesystems(Map.of("images", settings.imageDir(), "state", settings.stateDir()));
      Sandbox raw = sandbox != null ? sandbox : openSandbox(opened);
      traced.sandboxFacts(raw.facts());
      WorkQueue q = traced.queue(queue != null ? queue : connect(opened));
      JobMetrics metrics = new JobMetrics(otel.getMeter("polyrun.worker"));
      JobRunner runner =
          new JobRunner(
              q, traced.sandbox(raw), catalog, metrics, JobRunner.WorkDirSize.of(raw.policy()));
      Telemetry scraped = telemetry != null ? telemetry : opened.telemetry;
      opened.describe(raw, scraped == null ? OptionalInt.empty() : scraped.prometheusPort());
      return new Worker(q, runner, catalog, settings, metrics, traced, opened);
    } catch (IOException | InterruptedException | RuntimeException e) {
      opened.close();
      throw e;
    }
  }

  private LanguageCatalog catalog() {
    LanguageCatalog all = LanguageCatalog.load(settings.imageDir());
    LanguageCatalog catalog = all.only(settings.languages());
    List<String> missing =
        settings.languages().stream().filter(n -> all.only(List.of(n)).isEmpty()).toList();
    if (!missing.isEmpty()) {
      log.warn(
          "worker.languages: no image of {} in {}; this worker does not take their jobs",
          missing,
          settings.imageDir());
    }
    if (catalog.isEmpty()) {
      log.warn("no built images in {}: build them with images/build", settings.imageDir());
    }
    return catalog;
  }

  private OpenTelemetry openTelemetry(LanguageCatalog catalog, OpenedParts opened) {
    if (telemetry != null) {
      return telemetry.openTelemetry();
    }
    if (openTelemetry != null) {
      return openTelemetry;
    }
    opened.telemetry =
        Telemetry.start(
            settings.telemetry().toBuilder()
                .instanceId(settings.workerId())
                .attribute("polyrun.worker.slots", (long) settings.slots())
                .attribute("polyrun.worker.languages", catalog.names())
                .build());
    return opened.telemetry.openTelemetry();
  }

  private Sandbox openSandbox(OpenedParts opened) throws IOException {
    opened.sandbox = Sandbox.open(settings.sandboxOptions());
    log.info("sandbox: {}", opened.sandbox.facts().describe());
    opened.sandbox.sweep();
    return opened.sandbox;
  }

  /** Connects to Redis, retrying with backoff while it is not reachable yet. */
  private WorkQueue connect(OpenedParts opened) throws InterruptedException {
    long pause = 200;
    while (true) {
      try {
        opened.queue =
            RedisQueue.connect(settings.redis(), settings.queueOptions(), CONNECT_TIMEOUT);
        return opened.queue;
      } catch (QueueUnavailableException e) {
        log.warn(
            "redis at {} unreachable, retrying: {}", settings.redis().address(), e.getMessage());
        Thread.sleep(pause);
        pause = Math.min(pause * 2, 5000);
      }
    }
  }
}
