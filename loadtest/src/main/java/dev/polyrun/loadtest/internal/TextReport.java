package dev.polyrun.loadtest.internal;

import static dev.polyrun.loadtest.internal.HtmlReport.num;

import dev.polyrun.loadtest.Latency;
import dev.polyrun.loadtest.RunReport;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The summary table a run prints when it ends (Markdown, so it pastes into a README or a ticket).
 */
public final class TextReport {
  private TextReport() {}

  public static void print(RunReport r, PrintStream out) {
    out.printf("%n## %s: %s%n%n", r.scenario(), r.passed() ? "PASSED" : "FAILED");
    if (!r.programs().isEmpty()) {
      List<List<String>> rows = new ArrayList<>();
      for (RunReport.ProgramStats p : r.programs()) {
        rows.add(
            row(p.name() + " (polyrun)", p.count(), p.latency(), p.errors(), p.jobsPerSecond()));
        p.baselines().forEach((name, l) -> rows.add(row("  bare " + name, l.count(), l, 0, null)));
        if (p.ratio() != null) {
          rows.add(
              List.of(
                  "  ratio / difference p50 vs " + p.baseline(),
                  "",
                  "",
                  "",
                  num(p.ratio()) + "x",
                  "+" + num(p.differenceMs()) + " ms",
                  "",
                  ""));
        }
      }
      table(
          out,
          List.of("program", "runs", "errors", "ok/s", "p50 ms", "p90 ms", "p99 ms", "max ms"),
          rows);
    }
    if (!r.summary().isEmpty()) {
      List<List<String>> rows = new ArrayList<>();
      r.summary().forEach(m -> rows.add(List.of(m.name(), num(m.value()), m.unit())));
      table(out, List.of("figure", "value", "unit"), rows);
    }
    if (!r.errors().isEmpty()) {
      out.println("errors: " + r.errors());
    }
    r.notes().forEach(n -> out.println("note: " + n));
    r.failures().forEach(f -> out.println("FAILED: " + f));
  }

  private static List<String> row(String name, long runs, Latency l, long errors, Double rate) {
    return List.of(
        name,
        Long.toString(runs),
        Long.toString(errors),
        rate == null ? "" : num(rate),
        num(l.p50()),
        num(l.p90()),
        num(l.p99()),
        num(l.max()));
  }

  static void table(PrintStream out, List<String> head, List<List<String>> rows) {
    int[] widths = new int[head.size()];
    for (int i = 0; i < head.size(); i++) {
      widths[i] = head.get(i).length();
      for (List<String> row : rows) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    line(out, head, widths);
    StringBuilder sep = new StringBuilder("|");
    for (int i = 0; i < widths.length; i++) {
      sep.append(i == 0 ? "-".repeat(widths[i] + 2) : "-".repeat(widths[i] + 1) + ":").append('|');
    }
    out.println(sep);
    rows.forEach(row -> line(out, row, widths));
    out.println();
  }

  private static void line(PrintStream out, List<String> cells, int[] widths) {
    StringBuilder b = new StringBuilder("|");
    for (int i = 0; i < cells.size(); i++) {
      String c = cells.get(i);
      b.append(' ')
          .append(
              i == 0
                  ? c + " ".repeat(widths[i] - c.length())
                  : " ".repeat(widths[i] - c.length()) + c)
          .append(" |");
    }
    out.println(b);
  }
}
