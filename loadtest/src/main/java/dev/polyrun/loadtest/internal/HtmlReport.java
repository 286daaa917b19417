package dev.polyrun.loadtest.internal;

import static dev.polyrun.loadtest.internal.SvgChart.esc;

import dev.polyrun.loadtest.Latency;
import dev.polyrun.loadtest.RunReport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Renders a {@link RunReport} as one self-contained HTML page: tables and inline SVG charts, no
 * script and nothing loaded from elsewhere, so it can be attached to a release or opened offline.
 */
public final class HtmlReport {
  private HtmlReport() {}

  public static String render(RunReport r) {
    StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'><title>polyrun ")
        .append(esc(r.scenario()))
        .append(" report</title>\n<style>")
        .append(
            "body{font-family:sans-serif;margin:2em;max-width:1100px}table{border-collapse:collapse;margin:.5em 0 1.5em}")
        .append(
            "td,th{border:1px solid #ccc;padding:3px 8px;text-align:right;font-size:13px}th{background:#f3f3f3}")
        .append("td:first-child,th:first-child{text-align:left}.pass{color:#070}.fail{color:#b00}")
        .append("</style></head><body>\n");
    header(h, r);
    if (!r.summary().isEmpty()) {
      h.append("<h2>Summary</h2>\n");
      table(
          h,
          List.of("figure", "value", "unit"),
          r.summary(),
          m -> List.of(m.name(), num(m.value()), m.unit()));
    }
    programs(h, r);
    timeSeries(h, r);
    errors(h, r);
    steps(h, r);
    soak(h, r);
    faults(h, r);
    cost(h, r);
    return h.append("</body></html>\n").toString();
  }

  private static void header(StringBuilder h, RunReport r) {
    h.append("<h1>polyrun ")
        .append(esc(r.scenario()))
        .append("</h1>\n<p>")
        .append(r.passed() ? "<b class='pass'>PASSED</b>" : "<b class='fail'>FAILED</b>")
        .append(" &middot; started ")
        .append(esc(r.startedAt()))
        .append(" &middot; ")
        .append(num(r.durationSeconds()))
        .append(" s &middot; target ")
        .append(esc(r.target()))
        .append("</p>\n");
    if (r.host() != null) {
      RunReport.Host host = r.host();
      h.append("<p>host ")
          .append(esc(host.hostname()))
          .append(": ")
          .append(host.cores())
          .append(" cores, ")
          .append(host.memoryMb())
          .append(" MiB, kernel ")
          .append(esc(host.kernel()))
          .append("; load average ")
          .append(num(host.loadBefore()))
          .append(" before, ")
          .append(num(host.loadAfter()))
          .append(" after</p>\n");
    }
    if (!r.failures().isEmpty()) {
      h.append("<ul class='fail'>");
      r.failures().forEach(f -> h.append("<li>").append(esc(f)).append("</li>"));
      h.append("</ul>\n");
    }
    if (!r.notes().isEmpty()) {
      h.append("<h3>Notes</h3><ul>");
      r.notes().forEach(n -> h.append("<li>").append(esc(n)).append("</li>"));
      h.append("</ul>\n");
    }
    h.append("<details><summary>parameters</summary>");
    table(
        h,
        List.of("parameter", "value"),
        new ArrayList<>(r.parameters().entrySet()),
        e -> List.of(e.getKey(), String.valueOf(e.getValue())));
    h.append("</details>\n");
  }

  private static void programs(StringBuilder h, RunReport r) {
    if (r.programs().isEmpty()) {
      return;
    }
    h.append("<h2>Programs</h2>\n");
    List<List<String>> rows = new ArrayList<>();
    for (RunReport.ProgramStats p : r.programs()) {
      rows.add(
          latencyRow(
              esc(p.name()) + " (polyrun)", p.latency(), p.count(), p.errors(), p.jobsPerSecond()));
      p.baselines()
          .forEach(
              (name, l) ->
                  rows.add(latencyRow("&nbsp;&nbsp;bare " + esc(name), l, l.count(), 0, null)));
    }
    rawTable(
        h,
        List.of("program", "runs", "errors", "ok/s", "p50 ms", "p90 ms", "p99 ms", "max ms"),
        rows);
    Map<String, Double> p50 = new LinkedHashMap<>();
    for (RunReport.ProgramStats p : r.programs()) {
      if (p.latency().count() > 0) {
        p50.put(p.name() + " polyrun", p.latency().p50());
      }
      p.baselines().forEach((name, l) -> p50.put(p.name() + " bare " + name, l.p50()));
    }
    if (!p50.isEmpty()) {
      h.append(SvgChart.bars("p50 of each program and its bare baselines", "ms", p50));
    }
    table(
        h,
        List.of(
            "program",
            "baseline",
            "ratio p50",
            "difference p50 ms",
            "worker cpu ms/job",
            "cpu from"),
        r.programs(),
        p ->
            List.of(
                p.name(),
                String.valueOf(p.baseline()),
                num(p.ratio()),
                num(p.differenceMs()),
                num(p.workerCpuMs()),
                String.valueOf(p.workerCpuSource())));
    for (RunReport.ProgramStats p : r.programs()) {
      if (!p.phases().isEmpty()) {
        h.append("<h3>Phases of ").append(esc(p.name())).append(" (ms after sending)</h3>\n");
        List<Map.Entry<String, Latency>> phases = new ArrayList<>(p.phases().entrySet());
        phases.sort(Map.Entry.comparingByValue((a, b) -> Double.compare(a.p50(), b.p50())));
        table(
            h,
            List.of("phase", "p50", "p90", "p99", "max", "seen in"),
            phases,
            e ->
                List.of(
                    e.getKey(),
                    num(e.getValue().p50()),
                    num(e.getValue().p90()),
                    num(e.getValue().p99()),
                    num(e.getValue().max()),
                    Long.toString(e.getValue().count())));
      }
      if (!p.verdicts().isEmpty()) {
        h.append("<p>")
            .append(esc(p.name()))
            .append(" verdicts: ")
            .append(esc(p.verdicts().toString()))
            .append("</p>\n");
      }
    }
  }

  private static List<String> latencyRow(
      String name, Latency l, long count, long errors, Double rate) {
    return List.of(
        name,
        Long.toString(count),
        Long.toString(errors),
        rate == null ? "" : num(rate),
        num(l.p50()),
        num(l.p90()),
        num(l.p99()),
        num(l.max()));
  }

  private static void timeSeries(StringBuilder h, RunReport r) {
    if (r.series().isEmpty()) {
      return;
    }
    List<SvgChart.Marker> markers =
        r.faults().stream()
            .map(f -> new SvgChart.Marker(f.at(), f.kind() + " " + f.target()))
            .toList();
    double[] t = r.series().stream().mapToDouble(RunReport.SeriesPoint::t).toArray();
    h.append("<h2>Over time</h2>\n");
    h.append(
        SvgChart.lines(
            "Latency percentiles by intended send second",
            "seconds",
            "ms",
            List.of(
                line("p50", t, r.series(), RunReport.SeriesPoint::p50),
                    line("p90", t, r.series(), RunReport.SeriesPoint::p90),
                line("p99", t, r.series(), RunReport.SeriesPoint::p99),
                    line("max", t, r.series(), RunReport.SeriesPoint::max)),
            markers));
    h.append(
        SvgChart.lines(
            "Throughput",
            "seconds",
            "per second",
            List.of(
                line("sent", t, r.series(), p -> (double) p.sent()),
                line("completed ok", t, r.series(), p -> (double) p.completed()),
                line("errors", t, r.series(), p -> (double) p.errors())),
            markers));
  }

  private static SvgChart.Line line(
      String name,
      double[] t,
      List<RunReport.SeriesPoint> points,
      Function<RunReport.SeriesPoint, Double> value) {
    return new SvgChart.Line(
        name,
        t,
        points.stream()
            .mapToDouble(
                p -> {
                  Double v = value.apply(p);
                  return v == null ? Double.NaN : v;
                })
            .toArray());
  }

  private static void errors(StringBuilder h, RunReport r) {
    if (r.errors().isEmpty()) {
      return;
    }
    h.append("<h2>Errors</h2>\n").append(SvgChart.bars("Errors by code", "", r.errors()));
    table(
        h,
        List.of("code", "count", "example"),
        new ArrayList<>(r.errors().entrySet()),
        e ->
            List.of(
                e.getKey(),
                Long.toString(e.getValue()),
                String.valueOf(r.errorExamples().get(e.getKey()))));
  }

  private static void steps(StringBuilder h, RunReport r) {
    if (r.steps().isEmpty()) {
      return;
    }
    double[] rate = r.steps().stream().mapToDouble(RunReport.StepResult::rate).toArray();
    h.append("<h2>Steps</h2>\n")
        .append(
            SvgChart.lines(
                "Latency and completions by offered rate",
                "offered per second",
                "ms / per second",
                List.of(
                    new SvgChart.Line(
                        "p99 ms",
                        rate,
                        r.steps().stream().mapToDouble(s -> s.latency().p99()).toArray()),
                    new SvgChart.Line(
                        "p50 ms",
                        rate,
                        r.steps().stream().mapToDouble(s -> s.latency().p50()).toArray()),
                    new SvgChart.Line(
                        "completed/s",
                        rate,
                        r.steps().stream()
                            .mapToDouble(RunReport.StepResult::completedPerSecond)
                            .toArray())),
                List.of()));
    table(
        h,
        List.of("offered/s", "completed/s", "p50 ms", "p99 ms", "errors", "within target"),
        r.steps(),
        s ->
            List.of(
                num(s.rate()),
                num(s.completedPerSecond()),
                num(s.latency().p50()),
                num(s.latency().p99()),
                Long.toString(s.errors()),
                s.ok() ? "yes" : "no"));
  }

  private static void soak(StringBuilder h, RunReport r) {
    if (r.samples().isEmpty()) {
      return;
    }
    h.append("<h2>Resources</h2>\n");
    Map<String, List<String>> groups = new TreeMap<>();
    r.samples()
        .forEach(
            s ->
                s.values()
                    .keySet()
                    .forEach(
                        k -> {
                          String group =
                              k.startsWith("host.") || k.startsWith("redis.")
                                  ? k.substring(0, k.indexOf('.'))
                                  : k.substring(k.indexOf('.') + 1);
                          List<String> names =
                              groups.computeIfAbsent(group, g -> new ArrayList<>());
                          if (!names.contains(k)) {
                            names.add(k);
                          }
                        }));
    double[] t = r.samples().stream().mapToDouble(RunReport.ResourceSample::t).toArray();
    groups.forEach(
        (group, names) -> {
          List<SvgChart.Line> lines = new ArrayList<>();
          for (String name : names) {
            lines.add(
                new SvgChart.Line(
                    name,
                    t,
                    r.samples().stream()
                        .mapToDouble(s -> s.values().getOrDefault(name, Double.NaN))
                        .toArray()));
          }
          h.append(SvgChart.lines(group, "seconds", group, lines, List.of()));
        });
    table(
        h,
        List.of("figure", "slope per minute", "max per minute", "first", "last", "ok"),
        r.slopes(),
        s ->
            List.of(
                s.metric(),
                num(s.slopePerMinute()),
                num(s.threshold()),
                num(s.first()),
                num(s.last()),
                s.ok() ? "yes" : "<b class='fail'>NO</b>"));
  }

  private static void faults(StringBuilder h, RunReport r) {
    if (r.faults().isEmpty() && r.invariants() == null) {
      return;
    }
    h.append("<h2>Faults</h2>\n");
    table(
        h,
        List.of(
            "fault",
            "target",
            "at s",
            "recovered s",
            "p99 before ms",
            "p99 during ms",
            "max during ms",
            "errors during",
            "detail"),
        r.faults(),
        f ->
            List.of(
                f.kind(),
                f.target(),
                num(f.at()),
                num(f.recoveredAt()),
                num(f.before().p99()),
                num(f.during().p99()),
                num(f.during().max()),
                Long.toString(f.errorsDuring()),
                String.valueOf(f.detail())));
    RunReport.Invariants inv = r.invariants();
    if (inv != null) {
      Map<String, Long> values = new LinkedHashMap<>();
      values.put("accepted", inv.accepted());
      values.put("lost", inv.lost());
      values.put("more than one final result", inv.duplicateResults());
      values.put("re-run after a fault", inv.reruns());
      table(
          h,
          List.of("accepted jobs", "count"),
          new ArrayList<>(values.entrySet()),
          e -> List.of(e.getKey(), Long.toString(e.getValue())));
    }
  }

  private static void cost(StringBuilder h, RunReport r) {
    RunReport.CostReport c = r.cost();
    if (c == null) {
      return;
    }
    h.append("<h2>Cost</h2>\n<p>")
        .append(esc(c.pricesNote()))
        .append("; planned CPU utilisation ")
        .append(num(c.targetUtilization() * 100))
        .append("%; workers for ")
        .append(num(c.planRate()))
        .append(" executions/s; measured throughput per worker process here: ")
        .append(num(c.measuredJobsPerSecondPerWorker()))
        .append("/s</p>\n");
    table(
        h,
        List.of(
            "program",
            "cpu ms/job",
            "cpu from",
            "instance",
            "vCPU",
            "USD/h",
            "jobs/h",
            "USD per million",
            "workers for plan rate"),
        c.rows(),
        row ->
            List.of(
                row.program(),
                num(row.cpuMsPerJob()),
                row.cpuSource(),
                row.instance(),
                Integer.toString(row.vcpus()),
                num(row.usdPerHour()),
                num(row.jobsPerHour()),
                num(row.usdPerMillion()),
                Long.toString(row.workersForPlanRate())));
  }

  private static <T> void table(
      StringBuilder h, List<String> head, List<T> rows, Function<T, List<String>> cells) {
    List<List<String>> escaped = new ArrayList<>();
    for (T row : rows) {
      escaped.add(
          cells.apply(row).stream().map(c -> c.startsWith("<b class=") ? c : esc(c)).toList());
    }
    rawTable(h, head, escaped);
  }

  private static void rawTable(StringBuilder h, List<String> head, List<List<String>> rows) {
    h.append("<table><tr>");
    head.forEach(c -> h.append("<th>").append(esc(c)).append("</th>"));
    h.append("</tr>\n");
    for (List<String> row : rows) {
      h.append("<tr>");
      row.forEach(c -> h.append("<td>").append(c).append("</td>"));
      h.append("</tr>\n");
    }
    h.append("</table>\n");
  }

  static String num(Double v) {
    if (v == null || v.isNaN()) {
      return "";
    }
    if (v.isInfinite()) {
      return "none";
    }
    double a = Math.abs(v);
    return String.format(Locale.ROOT, a >= 1000 ? "%.0f" : a >= 10 ? "%.1f" : "%.2f", v);
  }
}
