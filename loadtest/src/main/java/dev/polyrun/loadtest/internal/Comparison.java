package dev.polyrun.loadtest.internal;

import dev.polyrun.loadtest.RunReport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The differences of two runs' headline figures. A figure regresses when it moves the wrong way (up
 * for {@code lower}-is-better, down for {@code higher}) by more than the threshold, relative to the
 * first run; figures marked {@code none} never regress.
 */
public final class Comparison {
  /**
   * One figure in both runs; {@code change} is relative to A (0.1 is +10%), NaN when A is 0 or
   * absent.
   */
  public record Row(
      String name, String unit, Double a, Double b, double change, boolean regression) {}

  private Comparison() {}

  public static List<Row> compare(RunReport a, RunReport b, double threshold) {
    Map<String, RunReport.Metric> first = new LinkedHashMap<>();
    a.summary().forEach(m -> first.put(m.name(), m));
    Map<String, RunReport.Metric> second = new LinkedHashMap<>();
    b.summary().forEach(m -> second.put(m.name(), m));
    List<Row> rows = new ArrayList<>();
    for (RunReport.Metric m : first.values()) {
      RunReport.Metric n = second.get(m.name());
      if (n == null) {
        rows.add(new Row(m.name(), m.unit(), m.value(), null, Double.NaN, false));
        continue;
      }
      double change = change(m.value(), n.value());
      boolean worse =
          switch (m.better()) {
            case "lower" -> n.value() > m.value() && (Double.isNaN(change) || change > threshold);
            case "higher" -> n.value() < m.value() && (Double.isNaN(change) || -change > threshold);
            default -> false;
          };
      rows.add(new Row(m.name(), m.unit(), m.value(), n.value(), change, worse));
    }
    for (RunReport.Metric n : second.values()) {
      if (!first.containsKey(n.name())) {
        rows.add(new Row(n.name(), n.unit(), null, n.value(), Double.NaN, false));
      }
    }
    return rows;
  }

  private static double change(double a, double b) {
    return a == 0 ? (b == 0 ? 0 : Double.NaN) : (b - a) / Math.abs(a);
  }
}
