package dev.polyrun.loadtest.internal;

import dev.polyrun.loadtest.Latency;
import dev.polyrun.loadtest.RunReport;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Figures of a set of outcomes: latency, phases, verdicts, errors, per-second series. */
public final class Aggregate {
  private Aggregate() {}

  /** Latency of the runs that gave what their program must give, from the intended send time. */
  public static Latency latency(List<Outcome> outcomes) {
    return Latency.of(outcomes.stream().filter(Outcome::ok).toList(), Outcome::latencyMs);
  }

  /**
   * Each phase's distribution (milliseconds after sending) over the successful runs that saw it.
   */
  public static Map<String, Latency> phases(List<Outcome> outcomes) {
    Map<Phase, List<Double>> values = new EnumMap<>(Phase.class);
    for (Outcome o : outcomes) {
      if (o.ok()) {
        o.phasesMs()
            .forEach((phase, ms) -> values.computeIfAbsent(phase, k -> new ArrayList<>()).add(ms));
      }
    }
    Map<String, Latency> result = new LinkedHashMap<>();
    values.forEach((phase, list) -> result.put(phase.label(), Latency.of(list, d -> d)));
    return result;
  }

  /** How many runs ended with each verdict (or with each error code when there was no result). */
  public static Map<String, Long> verdicts(List<Outcome> outcomes) {
    return outcomes.stream()
        .collect(
            Collectors.groupingBy(
                o -> o.verdict() != null ? o.verdict() : o.error(),
                TreeMap::new,
                Collectors.counting()));
  }

  /** Mean worker CPU per job from the results, or null when no result reported it. */
  public static Double workerCpuMs(List<Outcome> outcomes) {
    var stats =
        outcomes.stream()
            .filter(o -> o.workerCpuMs() > 0)
            .mapToLong(Outcome::workerCpuMs)
            .summaryStatistics();
    return stats.getCount() == 0 ? null : stats.getAverage();
  }

  /** Adds each failure's code to {@code counts}, and one message per code to {@code examples}. */
  public static void errors(
      List<Outcome> outcomes, Map<String, Long> counts, Map<String, String> examples) {
    for (Outcome o : outcomes) {
      if (!o.ok()) {
        counts.merge(o.error(), 1L, Long::sum);
        examples.putIfAbsent(o.error(), o.program() + ": " + o.errorDetail());
      }
    }
  }

  /** One program's figures, without baselines. */
  public static RunReport.ProgramStats program(
      String name, String language, List<Outcome> outcomes, double seconds) {
    Double cpu = workerCpuMs(outcomes);
    return new RunReport.ProgramStats(
        name,
        language,
        outcomes.size(),
        outcomes.stream().filter(o -> !o.ok()).count(),
        seconds > 0 ? outcomes.stream().filter(Outcome::ok).count() / seconds : 0,
        latency(outcomes),
        Map.of(),
        null,
        null,
        null,
        phases(outcomes),
        verdicts(outcomes),
        cpu,
        cpu == null ? null : "results (worker_cpu_ms)");
  }

  /** The same figures with the bare baselines, their reference, ratio and difference. */
  public static RunReport.ProgramStats withBaselines(
      RunReport.ProgramStats p, Map<String, Latency> baselines) {
    String ref = Baselines.reference(baselines);
    Double ratio = null;
    Double diff = null;
    if (ref != null && p.latency().count() > 0) {
      ratio = p.latency().p50() / baselines.get(ref).p50();
      diff = p.latency().p50() - baselines.get(ref).p50();
    }
    return new RunReport.ProgramStats(
        p.name(),
        p.language(),
        p.count(),
        p.errors(),
        p.jobsPerSecond(),
        p.latency(),
        baselines,
        ref,
        ratio,
        diff,
        p.phases(),
        p.verdicts(),
        p.workerCpuMs(),
        p.workerCpuSource());
  }

  /** The same figures with a measured CPU per job where the results gave none. */
  public static RunReport.ProgramStats withCpu(
      RunReport.ProgramStats p, Double cpuMs, String source) {
    if (p.workerCpuMs() != null || cpuMs == null) {
      return p;
    }
    return new RunReport.ProgramStats(
        p.name(),
        p.language(),
        p.count(),
        p.errors(),
        p.jobsPerSecond(),
        p.latency(),
        p.baselines(),
        p.baseline(),
        p.ratio(),
        p.differenceMs(),
        p.phases(),
        p.verdicts(),
        cpuMs,
        source);
  }

  /**
   * Per-second points from {@code startNanos}: requests meant to be sent in each second, their
   * errors and latency percentiles, and how many runs completed in it.
   */
  public static List<RunReport.SeriesPoint> series(List<Outcome> outcomes, long startNanos) {
    TreeMap<Long, List<Outcome>> bySecond = new TreeMap<>();
    TreeMap<Long, Long> completed = new TreeMap<>();
    for (Outcome o : outcomes) {
      bySecond
          .computeIfAbsent(second(o.intendedNanos(), startNanos), k -> new ArrayList<>())
          .add(o);
      if (o.ok()) {
        completed.merge(second(o.endNanos(), startNanos), 1L, Long::sum);
      }
    }
    if (bySecond.isEmpty()) {
      return List.of();
    }
    long last = Math.max(bySecond.lastKey(), completed.isEmpty() ? 0 : completed.lastKey());
    List<RunReport.SeriesPoint> points = new ArrayList<>();
    for (long s = 0; s <= last; s++) {
      List<Outcome> sent = bySecond.getOrDefault(s, List.of());
      Latency l = latency(sent);
      points.add(
          new RunReport.SeriesPoint(
              s,
              sent.size(),
              completed.getOrDefault(s, 0L),
              sent.stream().filter(o -> !o.ok()).count(),
              nan(l.p50()),
              nan(l.p90()),
              nan(l.p99()),
              nan(l.max())));
    }
    return points;
  }

  private static long second(long nanos, long startNanos) {
    return Math.max(0, (nanos - startNanos) / 1_000_000_000L);
  }

  private static Double nan(double v) {
    return Double.isNaN(v) ? null : v;
  }
}
