package dev.polyrun.loadtest.internal;

import dev.polyrun.loadtest.RunReport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Whether sampled resources grow: the least-squares slope per minute of each figure over the
 * samples after the warm-up, against the largest slope allowed for it. Thresholds are matched by
 * name pattern ({@code *} matches anything), the first match wins.
 */
public final class Slopes {
  /**
   * Default largest growth per minute after warm-up. Redis keys and memory grow with the job
   * retention: soak with a retention shorter than the warm-up (POLYRUN_QUEUE_JOB_TTL) or raise
   * these.
   */
  public static final List<String> DEFAULTS =
      List.of(
          "*.rss_mb=4",
          "*.threads=0.5",
          "*.fds=1",
          "host.runc_containers=0.2",
          "host.polyrun_cgroups=0.2",
          "host.polyrun_mounts=0.2",
          "host.work_dirs=0.2",
          "redis.used_memory_mb=1",
          "redis.keys=60",
          "redis.clients=0.5");

  private final Map<String, Double> thresholds = new LinkedHashMap<>();

  /** Thresholds as {@code PATTERN=MAX_PER_MINUTE}; these come before (override) the defaults. */
  public Slopes(List<String> overrides) {
    for (String spec : overrides) {
      add(spec);
    }
    for (String spec : DEFAULTS) {
      add(spec);
    }
  }

  private void add(String spec) {
    int eq = spec.indexOf('=');
    try {
      if (eq < 1) {
        throw new NumberFormatException();
      }
      thresholds.putIfAbsent(
          spec.substring(0, eq).strip(), Double.parseDouble(spec.substring(eq + 1).strip()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "max slope '" + spec + "' (expected: NAME=MAX_PER_MINUTE, e.g. *.fds=1)");
    }
  }

  /** The threshold of a figure; +infinity when no pattern matches. */
  public double threshold(String metric) {
    for (Map.Entry<String, Double> e : thresholds.entrySet()) {
      if (glob(e.getKey()).matcher(metric).matches()) {
        return e.getValue();
      }
    }
    return Double.POSITIVE_INFINITY;
  }

  /** Each figure's slope over its raw samples after {@code warmupSeconds}. */
  public List<RunReport.SlopeResult> check(
      List<RunReport.ResourceSample> samples, double warmupSeconds) {
    return check(samples, warmupSeconds, 0);
  }

  /**
   * Each figure's slope after {@code warmupSeconds}, fitted to the lowest value of each window of
   * {@code windowSeconds} (its floor) when the samples span at least three windows, else to the raw
   * samples. Work in flight lifts a figure for a moment (a container, a cgroup, a GC cycle's heap);
   * a leak lifts its floor. Figures with fewer than three points are skipped.
   */
  public List<RunReport.SlopeResult> check(
      List<RunReport.ResourceSample> samples, double warmupSeconds, double windowSeconds) {
    TreeSet<String> names = new TreeSet<>();
    samples.forEach(s -> names.addAll(s.values().keySet()));
    List<RunReport.SlopeResult> results = new ArrayList<>();
    for (String name : names) {
      List<double[]> points = new ArrayList<>();
      for (RunReport.ResourceSample s : samples) {
        Double v = s.values().get(name);
        if (s.t() >= warmupSeconds && v != null && !v.isNaN()) {
          points.add(new double[] {s.t() / 60.0, v});
        }
      }
      points = floors(points, windowSeconds / 60.0);
      if (points.size() < 3) {
        continue;
      }
      double slope = slope(points);
      double max = threshold(name);
      results.add(
          new RunReport.SlopeResult(
              name, slope, max, points.get(0)[1], points.get(points.size() - 1)[1], slope <= max));
    }
    return results;
  }

  /**
   * The lowest point of each window (x in minutes), or the points themselves when there are fewer
   * than three windows.
   */
  static List<double[]> floors(List<double[]> points, double windowMinutes) {
    if (windowMinutes <= 0 || points.isEmpty()) {
      return points;
    }
    double x0 = points.get(0)[0];
    double span = points.get(points.size() - 1)[0] - x0;
    if (span < 3 * windowMinutes) {
      return points;
    }
    java.util.TreeMap<Long, double[]> lowest = new java.util.TreeMap<>();
    for (double[] p : points) {
      long window = (long) ((p[0] - x0) / windowMinutes);
      lowest.merge(
          window,
          new double[] {x0 + (window + 0.5) * windowMinutes, p[1]},
          (a, b) -> b[1] < a[1] ? b : a);
    }
    return new ArrayList<>(lowest.values());
  }

  /** Least-squares slope of y over x. */
  static double slope(List<double[]> points) {
    double n = points.size();
    double sx = 0;
    double sy = 0;
    for (double[] p : points) {
      sx += p[0];
      sy += p[1];
    }
    double mx = sx / n;
    double my = sy / n;
    double num = 0;
    double den = 0;
    for (double[] p : points) {
      num += (p[0] - mx) * (p[1] - my);
      den += (p[0] - mx) * (p[0] - mx);
    }
    return den == 0 ? 0 : num / den;
  }

  private static Pattern glob(String pattern) {
    StringBuilder re = new StringBuilder();
    for (String part : pattern.split("\\*", -1)) {
      if (!re.isEmpty()) {
        re.append(".*");
      }
      re.append(Pattern.quote(part));
    }
    return Pattern.compile(re.toString());
  }
}
