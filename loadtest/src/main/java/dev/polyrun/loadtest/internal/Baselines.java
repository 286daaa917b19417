package dev.polyrun.loadtest.internal;

import dev.polyrun.loadtest.Latency;
import dev.polyrun.loadtest.Program;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bare baselines of a program, measured in the same run as the figures they sit beside: sequential
 * latency of each way {@link BareRun} can run it, and the ceiling of jobs per second at a given
 * concurrency. Figures it cannot take (no tool on the host, not root) are left out and said in
 * {@link #notes()}.
 */
public final class Baselines {
  /** Baseline names, in the order reports show them. */
  public static final String IMAGE_RUN = "image run";

  public static final String IMAGE_COMPILE_RUN = "image compile+run";
  public static final String HOST_RUN = "host run";
  public static final String HOST_COMPILE_RUN = "host compile+run";

  private final List<String> notes = new ArrayList<>();

  public List<String> notes() {
    return notes;
  }

  /**
   * Sequential baselines: {@code runs} timed runs (compiled once), and for a compiled language
   * {@code compileRuns} timed compile+run pairs.
   */
  public Map<String, Latency> latency(
      Program program, Optional<ImageLanguage> language, int runs, int compileRuns)
      throws InterruptedException {
    Map<String, Latency> result = new LinkedHashMap<>();
    if (language.isEmpty()) {
      notes.add(
          program.name()
              + ": no built image of "
              + program.language()
              + " here, so no bare baseline");
      return result;
    }
    for (BareRun.Mode mode : BareRun.Mode.values()) {
      try {
        Optional<BareRun> opened = BareRun.open(mode, language.get(), program);
        if (opened.isEmpty()) {
          notes.add(
              program.name()
                  + ": no "
                  + mode.label()
                  + " baseline ("
                  + (mode == BareRun.Mode.HOST
                      ? "the host lacks the language's tools"
                      : "needs root")
                  + ")");
          continue;
        }
        try (BareRun bare = opened.get()) {
          List<Double> run = new ArrayList<>();
          for (int i = 0; i < runs; i++) {
            run.add(bare.run() / 1e6);
          }
          result.put(mode.label() + " run", Latency.of(run, d -> d));
          if (language.get().compiled()) {
            List<Double> both = new ArrayList<>();
            for (int i = 0; i < compileRuns; i++) {
              both.add(bare.compileAndRun() / 1e6);
            }
            result.put(mode.label() + " compile+run", Latency.of(both, d -> d));
          }
        }
      } catch (IOException e) {
        notes.add(program.name() + ": " + mode.label() + " baseline failed: " + e.getMessage());
      }
    }
    return result;
  }

  /**
   * The baseline a polyrun figure compares with: the image's, compile+run for a compiled language.
   */
  public static String reference(Map<String, Latency> baselines) {
    for (String name : List.of(IMAGE_COMPILE_RUN, IMAGE_RUN, HOST_COMPILE_RUN, HOST_RUN)) {
      if (baselines.containsKey(name)) {
        return name;
      }
    }
    return null;
  }

  /**
   * Jobs per second of {@code concurrency} threads each running the program bare in a loop for
   * {@code duration} (compile+run for a compiled language: polyrun compiles every job too). Empty
   * when the mode cannot run it here.
   */
  public Optional<Double> ceiling(
      BareRun.Mode mode,
      Program program,
      ImageLanguage language,
      int concurrency,
      Duration duration)
      throws InterruptedException {
    List<BareRun> runs = new ArrayList<>();
    try {
      for (int i = 0; i < concurrency; i++) {
        Optional<BareRun> opened = BareRun.open(mode, language, program);
        if (opened.isEmpty()) {
          return Optional.empty();
        }
        runs.add(opened.get());
      }
      AtomicLong done = new AtomicLong();
      long end = System.nanoTime() + duration.toNanos();
      long start = System.nanoTime();
      List<Thread> threads = new ArrayList<>();
      for (BareRun bare : runs) {
        threads.add(
            Thread.ofPlatform()
                .start(
                    () -> {
                      try {
                        while (System.nanoTime() < end) {
                          if (language.compiled()) {
                            bare.compileAndRun();
                          } else {
                            bare.run();
                          }
                          done.incrementAndGet();
                        }
                      } catch (IOException | InterruptedException e) {
                        Thread.currentThread().interrupt();
                      }
                    }));
      }
      for (Thread t : threads) {
        t.join();
      }
      return Optional.of(done.get() / ((System.nanoTime() - start) / 1e9));
    } catch (IOException e) {
      notes.add(program.name() + ": " + mode.label() + " ceiling failed: " + e.getMessage());
      return Optional.empty();
    } finally {
      runs.forEach(BareRun::close);
    }
  }
}
