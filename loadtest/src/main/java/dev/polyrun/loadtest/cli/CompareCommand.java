package dev.polyrun.loadtest.cli;

import dev.polyrun.loadtest.RunReport;
import dev.polyrun.loadtest.internal.Comparison;
import dev.polyrun.loadtest.internal.ReportFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Compares two runs' records; exits 1 when a figure regressed past the threshold. */
@Command(
    name = "compare",
    mixinStandardHelpOptions = true,
    description =
        "Prints the differences of two runs' headline figures; exits 1 when one regressed by more than"
            + " the threshold (0 otherwise, 2 for a usage error).")
final class CompareCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "A.json", description = "The earlier run (the reference).")
  Path a;

  @Parameters(index = "1", paramLabel = "B.json", description = "The later run.")
  Path b;

  @Option(
      names = "--threshold",
      defaultValue = "10%",
      paramLabel = "PERCENT",
      description =
          "Largest change the wrong way that is not a regression (default: ${DEFAULT-VALUE}).")
  String threshold;

  @Override
  public Integer call() throws Exception {
    double limit = parseThreshold(threshold);
    RunReport ra = ReportFiles.read(a);
    RunReport rb = ReportFiles.read(b);
    if (!ra.scenario().equals(rb.scenario())) {
      System.out.printf("note: comparing a %s run with a %s run%n", ra.scenario(), rb.scenario());
    }
    List<Comparison.Row> rows = Comparison.compare(ra, rb, limit);
    List<List<String>> cells = new ArrayList<>();
    int regressions = 0;
    for (Comparison.Row r : rows) {
      regressions += r.regression() ? 1 : 0;
      cells.add(
          List.of(
              r.name(),
              num(r.a()),
              num(r.b()),
              r.unit(),
              Double.isNaN(r.change())
                  ? ""
                  : String.format(Locale.ROOT, "%+.1f%%", r.change() * 100),
              r.regression() ? "REGRESSION" : ""));
    }
    print(cells);
    System.out.printf(
        Locale.ROOT, "%d figure(s) regressed by more than %.1f%%%n", regressions, limit * 100);
    return regressions > 0 ? 1 : 0;
  }

  static double parseThreshold(String s) {
    String t = s.strip();
    try {
      double v =
          t.endsWith("%")
              ? Double.parseDouble(t.substring(0, t.length() - 1)) / 100
              : Double.parseDouble(t);
      if (v >= 0) {
        return v;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        "--threshold '" + s + "' (expected: a percentage such as 10%, or a fraction such as 0.1)");
  }

  private static String num(Double v) {
    return v == null || v.isNaN()
        ? ""
        : String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%.0f" : "%.2f", v);
  }

  private static void print(List<List<String>> rows) {
    List<String> head = List.of("figure", "A", "B", "unit", "change", "");
    int[] w = new int[head.size()];
    for (int i = 0; i < w.length; i++) {
      w[i] = head.get(i).length();
      for (List<String> r : rows) {
        w[i] = Math.max(w[i], r.get(i).length());
      }
    }
    List<List<String>> all = new ArrayList<>();
    all.add(head);
    all.addAll(rows);
    for (List<String> r : all) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < w.length; i++) {
        String c = r.get(i);
        line.append(
                i == 0 || i == 3 || i == 5
                    ? c + " ".repeat(w[i] - c.length())
                    : " ".repeat(w[i] - c.length()) + c)
            .append("  ");
      }
      System.out.println(line.toString().stripTrailing());
    }
  }
}
