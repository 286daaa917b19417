package dev.polyrun.worker;

import dev.polyrun.queue.Delivery;
import dev.polyrun.queue.QueueUnavailableException;
import dev.polyrun.queue.WorkQueue;
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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker daemon: {@link WorkerOptions#slots()} threads each take one job at a time from the
 * queue and run it to its end, while a scheduler renews the running jobs' leases and reports the
 * worker's heartbeat and languages. {@link #close()} stops intake, lets running jobs finish
 * within the grace period, then stops them and releases their deliveries to other workers.
 */
public final class Worker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Worker.class);
  private static final Duration HEARTBEAT_EVERY = Duration.ofSeconds(5);
  /** A consumer that holds no job and has not read for this long belonged to a dead worker. */
  private static final Duration DEAD_CONSUMER_IDLE = Duration.ofHours(1);
  private final WorkQueue queue;
  private final JobRunner runner;
  private final LanguageCatalog catalog;
  private final WorkerOptions options;
  private final JobMetrics metrics;
  private final ActiveDeliveries active;
  private final WorkerTelemetry telemetry;
  private final List<Thread> slots = new ArrayList<>();
  private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2,
      r -> Thread.ofPlatform().daemon().name("polyrun-lease").unstarted(r));
  private volatile boolean running;
  private boolean closed;

  /** A worker without metrics. */
  public Worker(WorkQueue queue, JobRunner runner, LanguageCatalog catalog, WorkerOptions options) {
    this(queue, runner, catalog, options,
        new JobMetrics(io.opentelemetry.api.OpenTelemetry.noop().getMeter("polyrun.worker")));
  }

  public Worker(WorkQueue queue, JobRunner runner, LanguageCatalog catalog, WorkerOptions options, JobMetrics metrics) {
    this(queue, runner, catalog, options, metrics, WorkerTelemetry.noop());
  }

  /**
   * A worker whose deliveries are traced by {@code telemetry}; pass it the queue and the runner
   * built on {@code telemetry}'s wrappers of the queue and the sandbox.
   */
  public Worker(WorkQueue queue, JobRunner runner, LanguageCatalog catalog, WorkerOptions options, JobMetrics metrics,
      WorkerTelemetry telemetry) {
    this.telemetry = telemetry;
    this.queue = queue;
    this.runner = runner;
    this.catalog = catalog;
    this.options = options;
    this.metrics = metrics;
    this.active = new ActiveDeliveries(queue, options.workerId(), metrics);
    metrics.observe(options.slots(), active::size, queue::deadLettered);
  }

  /** Starts the slot threads, lease renewals and heartbeats. Call once. */
  public synchronized void start() {
    running = true;
    scheduler.scheduleWithFixedDelay(this::heartbeat, 0, HEARTBEAT_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    scheduler.scheduleWithFixedDelay(active::renewAll, options.renewEvery().toMillis(),
        options.renewEvery().toMillis(), TimeUnit.MILLISECONDS);
    for (int i = 0; i < options.slots(); i++) {
      slots.add(Thread.ofPlatform().name("polyrun-slot-" + i).start(this::loop));
    }
    log.info("worker {} started with {} slot(s) and languages {}", options.workerId(), options.slots(),
        catalog.names());
  }

  private void loop() {
    Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5));
    while (running) {
      try {
        // this slot is free: it reserves itself by reading, and holds the job until runOne returns
        // only the queues of the languages this worker has images for: a mixed fleet shares a cluster
        Optional<Delivery> delivery = queue.take(options.workerId(), options.blockTime(), catalog.queueNames());
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
      queue.release(delivery, options.workerId());
      log.info("released job {} to other workers", delivery.jobId());
    } catch (RuntimeException e) {
      log.warn("cannot release job {}; it is taken over after its lease: {}", delivery.jobId(), e.getMessage());
    }
  }

  private void heartbeat() {
    try {
      queue.heartbeat(options.workerId(), options.slots(), active.jobIds(), HEARTBEAT_EVERY.multipliedBy(3),
          catalog.names());
      queue.advertise(LanguageDescriptions.of(catalog));
      queue.pruneConsumers(DEAD_CONSUMER_IDLE, null);
    } catch (RuntimeException e) {
      metrics.heartbeatFailed();
      log.warn("cannot report heartbeat: {}", e.getMessage());
    }
  }

  /** Stops intake, waits up to the grace period for running jobs, then stops and releases them. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    running = false;
    long deadline = System.nanoTime() + options.gracePeriod().toNanos();
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
      queue.pruneConsumers(DEAD_CONSUMER_IDLE, options.workerId());
    } catch (RuntimeException e) {
      log.warn("cannot remove this worker's consumer: {}", e.getMessage());
    }
    log.info("worker {} stopped", options.workerId());
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
