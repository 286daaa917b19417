package dev.polyrun.monitoring;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The label names a query relies on, and which of them the metrics it names do not export: a panel
 * grouped {@code by (language)} over a metric labelled {@code canary} draws one unlabelled line,
 * and an alert on it fires without saying which canary. Labels Prometheus adds at scrape time
 * ({@code instance}, {@code job}) are not the processes' to export.
 */
final class LabelUses {
  /**
   * A label that {@code query} uses on {@code metrics}.
   *
   * @param onEach true when each of the metrics must carry it (a matcher on the metric, a grouping
   *     over an expression of them); false when one of them is enough (a legend, {@code on} or
   *     {@code ignoring} between two sides)
   */
  record Use(String query, String label, Set<String> metrics, boolean onEach) {}

  private static final Set<String> TARGET_LABELS = Set.of("instance", "job", "__name__");
  private static final Pattern MATCHERS =
      Pattern.compile(MetricReferences.NAME.pattern() + "\\s*\\{([^}]*)}");
  private static final Pattern MATCHER =
      Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(?:=~|!~|!=|=)\\s*\"");
  private static final Pattern GROUPING =
      Pattern.compile("\\b(?:by|without)\\s*\\(([^)]*)\\)\\s*\\(");
  private static final Pattern MATCHING = Pattern.compile("\\b(?:on|ignoring)\\s*\\(([^)]*)\\)");
  private static final Pattern LEGEND = Pattern.compile("\\{\\{\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*}}");
  private static final Pattern LABEL_VALUES =
      Pattern.compile(
          "label_values\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*,\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*\\)");

  private LabelUses() {}

  /**
   * The labels a query uses: its matchers, groupings, vector matchings, legend and {@code
   * label_values}.
   */
  static List<Use> in(MetricReferences.Query q) {
    String expr = q.expr();
    List<Use> uses = new ArrayList<>();
    Matcher m = MATCHERS.matcher(expr);
    while (m.find()) {
      Matcher label = MATCHER.matcher(m.group(2));
      while (label.find()) {
        add(uses, expr, label.group(1), Set.of(m.group(1)), true);
      }
    }
    m = GROUPING.matcher(expr);
    while (m.find()) {
      Set<String> over = MetricReferences.namesIn(argument(expr, m.end() - 1));
      for (String label : labels(m.group(1))) {
        add(uses, expr, label, over, true);
      }
    }
    Set<String> all = MetricReferences.namesIn(expr);
    m = MATCHING.matcher(expr);
    while (m.find()) {
      labels(m.group(1)).forEach(label -> add(uses, expr, label, all, false));
    }
    m = LEGEND.matcher(q.legend());
    while (m.find()) {
      add(uses, expr, m.group(1), all, false);
    }
    m = LABEL_VALUES.matcher(expr);
    while (m.find()) {
      add(uses, expr, m.group(2), Set.of(m.group(1)), true);
    }
    return uses;
  }

  private static void add(
      List<Use> uses, String expr, String label, Set<String> metrics, boolean onEach) {
    if (!TARGET_LABELS.contains(label) && !metrics.isEmpty()) {
      uses.add(new Use(expr, label, Set.copyOf(metrics), onEach));
    }
  }

  private static List<String> labels(String list) {
    return List.of(list.split(",")).stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
  }

  /** The text inside the parenthesis that opens at {@code open}. */
  private static String argument(String expr, int open) {
    int depth = 0;
    for (int i = open; i < expr.length(); i++) {
      char c = expr.charAt(i);
      if (c == '(') {
        depth++;
      } else if (c == ')' && --depth == 0) {
        return expr.substring(open + 1, i);
      }
    }
    throw new IllegalArgumentException("unbalanced parentheses in query: " + expr);
  }

  /**
   * The uses that the exported series contradict, one line each. A metric with no series at all (a
   * counter whose event has not happened) cannot be checked: a label it must carry is not checked
   * on it, and a label one of several metrics must carry is not checked when it is one.
   *
   * @param exported each series name's label names, as {@link MetricReferences#exportedLabels}
   *     reads them
   */
  static Set<String> unexported(List<Use> uses, Map<String, Set<String>> exported) {
    Set<String> problems = new TreeSet<>();
    for (Use use : uses) {
      List<String> seen = use.metrics().stream().filter(exported::containsKey).sorted().toList();
      if (seen.isEmpty() || !use.onEach() && seen.size() < use.metrics().size()) {
        // without series the metric's labels are unknown: it may be the one that carries the label
        continue;
      }
      List<String> without =
          seen.stream().filter(metric -> !exported.get(metric).contains(use.label())).toList();
      if (use.onEach() ? !without.isEmpty() : without.size() == seen.size()) {
        problems.add(
            "label '"
                + use.label()
                + "' is not on "
                + without.stream().map(metric -> metric + exported.get(metric)).toList()
                + " in: "
                + use.query().strip());
      }
    }
    return problems;
  }
}
