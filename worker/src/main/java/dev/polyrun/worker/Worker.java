package dev.polyrun.worker;

import dev.polyrun.proto.v1.Language;
import dev.polyrun.proto.v1.Limits;
import dev.polyrun.queue.Delivery;
import dev.polyrun.queue.QueueUnavailableException;
import dev.polyrun.queue.WorkQueue;
import dev.polyrun.worker.internal.job.JobRunner;
import dev.polyrun.worker.language.InstalledLanguage;
import dev.polyrun.worker.language.LanguageCatalog;
import dev.polyrun.worker.language.LanguageDefinition.StageDefaults;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker daemon: {@link WorkerOptions#slots()} threads each take one job at a time from the
 * queue and run it to its end; the languages of the installed images are advertised while it runs.
 * {@link #close()} stops intake, lets running jobs finish within the grace period, then interrupts
 * them (their deliveries stay pending for another worker).
 */
public final class Worker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Worker.class);
  private static final Duration ADVERTISE_EVERY = Duration.ofSeconds(15);
  private final WorkQueue queue;
  private final JobRunner runner;
  private final LanguageCatalog catalog;
  private final WorkerOptions options;
  private final List<Thread> slots = new ArrayList<>();
  private final ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor(
      r -> Thread.ofPlatform().daemon().name("polyrun-heartbeat").unstarted(r));
  private volatile boolean running;
  private boolean closed;

  public Worker(WorkQueue queue, JobRunner runner, LanguageCatalog catalog, WorkerOptions options) {
    this.queue = queue;
    this.runner = runner;
    this.catalog = catalog;
    this.options = options;
  }

  /** Starts the slot threads and the language heartbeat. Call once. */
  public synchronized void start() {
    running = true;
    heartbeat.scheduleWithFixedDelay(this::advertise, 0, ADVERTISE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    for (int i = 0; i < options.slots(); i++) {
      Thread slot = Thread.ofPlatform().name("polyrun-slot-" + i).start(this::loop);
      slots.add(slot);
    }
    log.info("worker {} started with {} slot(s) and languages {}", options.workerId(), options.slots(),
        catalog.all().stream().map(l -> l.definition().name()).toList());
  }

  private void loop() {
    Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5));
    while (running) {
      try {
        Optional<Delivery> delivery = queue.take(options.workerId(), options.blockTime());
        if (delivery.isPresent()) {
          runner.run(delivery.get());
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

  private void advertise() {
    try {
      queue.advertise(catalog.all().stream().map(Worker::describe).toList());
    } catch (RuntimeException e) {
      log.warn("cannot advertise languages: {}", e.getMessage());
    }
  }

  static Language describe(InstalledLanguage language) {
    var def = language.definition();
    Language.Builder b =
        Language.newBuilder()
            .setName(def.name())
            .setDisplayName(def.displayName() == null ? def.name() : def.displayName())
            .setVersion(language.version())
            .setSourceFile(def.sourceFile())
            .setCompiled(def.compiled())
            .setDefaultRunLimits(limits(def.limits().run()));
    if (def.extensions() != null) {
      b.addAllExtensions(def.extensions());
    }
    if (def.compiled() && def.limits().compile() != null) {
      b.setDefaultCompileLimits(limits(def.limits().compile()));
    }
    return b.build();
  }

  private static Limits limits(StageDefaults d) {
    return Limits.newBuilder()
        .setCpuTimeMs(d.cpuTimeMs())
        .setWallTimeMs(d.wallTimeMs())
        .setMemoryBytes(d.memoryBytes())
        .setMaxProcesses(d.maxProcesses())
        .setOutputBytes(d.outputBytes())
        .setFileSizeBytes(d.fileSizeBytes())
        .build();
  }

  /** Stops intake, waits up to the grace period for running jobs, then interrupts them. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    running = false;
    heartbeat.shutdownNow();
    long deadline = System.nanoTime() + options.gracePeriod().toNanos();
    for (Thread slot : slots) {
      try {
        long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
        slot.join(left);
        if (slot.isAlive()) {
          slot.interrupt();
          slot.join(5000);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
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
