package dev.polyrun.worker;

import dev.polyrun.queue.Delivery;
import dev.polyrun.queue.QueueUnavailableException;
import dev.polyrun.queue.WorkQueue;
import dev.polyrun.sandbox.RuntimeFacts;
import dev.polyrun.sandbox.SandboxPolicy;
import dev.polyrun.worker.internal.job.ActiveDeliveries;
import dev.polyrun.worker.internal.job.JobMetrics;
import dev.polyrun.worker.internal.job.JobRunner;
import dev.polyrun.worker.internal.telemetry.JobTrace;
import dev.polyrun.worker.internal.telemetry.WorkerTelemetry;
import dev.polyrun.worker.language.LanguageCatalog;
import dev.polyrun.worker.language.LanguageDescriptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running worker: {@link WorkerSettings#slots()} threads each take one job at a time from the
 * queue and run it to its end, while a scheduler renews the running jobs' leases and reports the
 * worker's heartbeat and languages. Assembled by {@link #builder(WorkerSettings)}, the same way by
 * the daemon, the tests and the in-process cluster. {@link #close()} stops intake, lets running
 * jobs finish within the grace period, then stops them and releases their deliveries to other
 * workers, and last closes what the builder opened (the sandbox, the queue, the telemetry), never
 * what its caller handed in.
 */
public final class Worker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Worker.class);

  /** A consumer that holds no job and has not read for this long belonged to a dead worker. */
  private static final Duration DEAD_CONSUMER_IDLE = Duration.ofHours(1);

  private final WorkQueue queue;
  private final JobRunner runner;
  private final LanguageCatalog catalog;
  private final WorkerSettings settings;
  private final JobMetrics metrics;
  private final ActiveDeliveries active;
  private final WorkerTelemetry telemetry;
  private final OpenedParts parts;
  private final List<Thread> slots = new ArrayList<>();
  private final ScheduledExecutorService scheduler =
      Executors.newScheduledThreadPool(
          2, r -> Thread.ofPlatform().daemon().name("polyrun-lease").unstarted(r));
  private volatile boolean running;
  private boolean closed;

  /**
   * A worker on {@code queue} and {@code runner}, both built on {@code telemetry}'s wrappers of the
   * queue and the sandbox; closing it closes {@code parts} after the slots have stopped.
   */
  Worker(
      WorkQueue queue,
      JobRunner runner,
      LanguageCatalog catalog,
      WorkerSettings settings,
      JobMetrics metrics,
      WorkerTelemetry telemetry,
      OpenedParts parts) {
    this.telemetry = telemetry;
    this.queue = queue;
    this.runner = runner;
    this.catalog = catalog;
    this.settings = settings;
    this.metrics = metrics;
    this.parts = parts;
    this.active = new ActiveDeliveries(queue, settings.workerId(), metrics);
    metrics.observe(settings.slots(), active::size, queue::deadLettered);
  }

  /** A builder of a worker with {@code settings}; it opens what the caller does not hand in. */
  public static WorkerBuilder builder(WorkerSettings settings) {
    return new WorkerBuilder(settings);
  }

  /** The settings this worker runs with. */
  public WorkerSettings settings() {
    return settings;
  }

  /** The languages this worker takes jobs of: those of its images that its settings keep. */
  public List<String> languages() {
    return catalog.names();
  }

  /**
   * The queues this worker reads ({@code dev.polyrun.queue.QueueNames}): its languages' own for
   * their default versions, one per other version.
   */
  public List<String> queueNames() {
    return catalog.queueNames();
  }

  /** What the sandbox found on this host at start. */
  public RuntimeFacts sandboxFacts() {
    return parts.facts();
  }

  /**
   * The policy stages run under when their language changes nothing: defaults and the operator's.
   */
  public SandboxPolicy sandboxPolicy() {
    return parts.policy();
  }

  /** The port of the Prometheus scrape, when the worker's telemetry serves one. */
  public OptionalInt prometheusPort() {
    return parts.prometheusPort();
  }

  /** Starts the slot threads, lease renewals and heartbeats. Call once. */
  public synchronized void start() {
    running = true;
    scheduler.scheduleWithFixedDelay(
        this::heartbeat, 0, settings.heartbeatInterval().toMillis(), TimeUnit.MILLISECONDS);
    scheduler.scheduleWithFixedDelay(
        active::renewAll,
        settings.renewEvery().toMillis(),
        settings.renewEvery().toMillis(),
        TimeUnit.MILLISECONDS);
    for (int i = 0; i < settings.slots(); i++) {
      slots.add(Thread.ofPlatform().name("polyrun-slot-" + i).start(this::loop));
    }
    log.info(
        "worker {} started with {} slot(s) and languages {}",
        settings.workerId(),
        settings.slots(),
        catalog.names());
  }

  private void loop() {
    Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5));
    while (running) {
      try {
        // this slot is free: it reserves itself by reading, and holds the job until runOne returns
        // only the queues of the languages this worker has images for: a mixed fleet shares a
        // cluster
        Optional<Delivery> delivery =
            queue.take(settings.workerId(), settings.pollInterval(), catalog.queueNames());
        if (delivery.isPresent()) {
          runOne(delivery.get());
        }
        backoff.reset();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (QueueUnavailableException e) {
        log.warn("redis unavailable, retrying: {}", e.getMessage());
        if (!backoff.pause()) {
          return;
        }
      } catch (RuntimeException e) {
        log.error("unexpected failure in slot loop", e);
        if (!backoff.pause()) {
          return;
        }
      }
    }
  }

  private void runOne(Delivery delivery) throws InterruptedException {
    if (delivery.reclaimed()) {
      metrics.reclaimed();
      log.info("took over job {} as attempt {}", delivery.jobId(), delivery.attempt());
    }
    BooleanSupplier lost = active.add(delivery);
    try (JobTrace trace = telemetry.begin(delivery, queue)) {
      runner.run(delivery, lost);
    } catch (InterruptedException e) {
      if (!lost.getAsBoolean()) {
        releaseQuietly(delivery);
      }
      throw e;
    } finally {
      active.remove(delivery);
    }
  }

  private void releaseQuietly(Delivery delivery) {
    try {
      queue.release(delivery, settings.workerId());
      log.info("released job {} to other workers", delivery.jobId());
    } catch (RuntimeException e) {
      log.warn(
          "cannot release job {}; it is taken over after its lease: {}",
          delivery.jobId(),
          e.getMessage());
    }
  }

  private void heartbeat() {
    try {
      queue.heartbeat(
          settings.workerId(),
          settings.slots(),
          active.jobIds(),
          settings.heartbeatInterval().multipliedBy(3),
          catalog.names());
      queue.advertise(LanguageDescriptions.of(catalog));
      queue.pruneConsumers(DEAD_CONSUMER_IDLE, null);
    } catch (RuntimeException e) {
      metrics.heartbeatFailed();
      log.warn("cannot report heartbeat: {}", e.getMessage());
    }
  }

  /**
   * Stops intake, waits up to the grace period for running jobs, then stops and releases them; then
   * closes what the builder opened: the sandbox, the queue, the telemetry. Idempotent.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    running = false;
    long deadline = System.nanoTime() + settings.gracePeriod().toNanos();
    try {
      for (Thread slot : slots) {
        slot.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
      }
      for (Thread slot : slots) {
        if (slot.isAlive()) {
          slot.interrupt();
          slot.join(10_000);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    scheduler.shutdownNow();
    try {
      queue.pruneConsumers(DEAD_CONSUMER_IDLE, settings.workerId());
    } catch (RuntimeException e) {
      log.warn("cannot remove this worker's consumer: {}", e.getMessage());
    }
    log.info("worker {} stopped", settings.workerId());
    parts.close();
  }

  /** Exponential backoff that sleeps on the calling thread. */
  private static final class Backoff {
    private final Duration first;
    private final Duration max;
    private Duration next;

    Backoff(Duration first, Duration max) {
      this.first = first;
      this.max = max;
      this.next = first;
    }

    void reset() {
      next = first;
    }

    /** Sleeps; returns false when interrupted (the flag is restored). */
    boolean pause() {
      try {
        Thread.sleep(next);
        next = next.multipliedBy(2).compareTo(max) > 0 ? max : next.multipliedBy(2);
        return true;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
  }
}
