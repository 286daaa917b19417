package dev.polyrun.loadtest.internal;

import dev.polyrun.loadtest.RunReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Takes a resource sample every interval on its own thread until closed; the samples are stamped in
 * seconds from a given start. Closing stops it and waits for the thread.
 */
public final class SamplingLoop implements AutoCloseable {
  private final List<RunReport.ResourceSample> samples = new ArrayList<>();
  private final Thread thread;

  public SamplingLoop(ResourceSampler sampler, Duration interval, long startNanos) {
    thread =
        Thread.ofPlatform()
            .daemon()
            .name("soak-sampler")
            .start(
                () -> {
                  long next = System.nanoTime();
                  while (!Thread.currentThread().isInterrupted()) {
                    Map<String, Double> values = sampler.sample();
                    synchronized (samples) {
                      samples.add(
                          new RunReport.ResourceSample(
                              (System.nanoTime() - startNanos) / 1e9, values));
                    }
                    next += interval.toNanos();
                    long wait = next - System.nanoTime();
                    try {
                      Thread.sleep(Math.max(0, wait / 1_000_000));
                    } catch (InterruptedException e) {
                      return;
                    }
                  }
                });
  }

  /** The samples so far, oldest first. */
  public List<RunReport.ResourceSample> samples() {
    synchronized (samples) {
      return List.copyOf(samples);
    }
  }

  @Override
  public void close() throws InterruptedException {
    thread.interrupt();
    thread.join();
  }
}
