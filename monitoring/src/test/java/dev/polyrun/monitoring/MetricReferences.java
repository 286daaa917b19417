package dev.polyrun.monitoring;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The metric names the dashboards and rules query, and the names a scrape exports. */
final class MetricReferences {
  /**
   * polyrun's metric families and the conventional ones it exports; anything else in a query is
   * PromQL.
   */
  static final Pattern NAME =
      Pattern.compile("\\b((?:polyrun|rpc|db|jvm|system|target)_[a-zA-Z0-9_]+)\\b");

  private static final Pattern SERIES_LABEL =
      Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"(?:[^\"\\\\]|\\\\.)*\"");
  private static final Pattern LITERAL = Pattern.compile("\"([a-z][a-z0-9_]*(?:\\.[a-z0-9_]+)+)\"");

  private MetricReferences() {}

  /** One query: where it is, its PromQL, and its legend (dashboards; empty for rules). */
  record Query(String where, String expr, String legend) {}

  /**
   * Every metric name used in the dashboards' queries and the rules' expressions under {@code
   * monitoring}.
   */
  static Set<String> inMonitoring(Path monitoring) throws IOException {
    Set<String> names = new TreeSet<>();
    for (Query q : queries(monitoring)) {
      names.addAll(namesIn(q.expr()));
    }
    return names;
  }

  /**
   * Every query of the dashboards (panel targets, template variables) and every rule expression.
   */
  static List<Query> queries(Path monitoring) throws IOException {
    List<Query> queries = new ArrayList<>();
    for (Path file : files(monitoring.resolve("grafana/dashboards"), ".json")) {
      collectExprs(
          file.getFileName().toString(), JsonParser.parseString(Files.readString(file)), queries);
    }
    for (Path file : files(monitoring.resolve("prometheus"), ".rules.yml")) {
      for (String expr : ruleExpressions(Files.readString(file))) {
        queries.add(new Query(file.getFileName().toString(), expr, ""));
      }
    }
    return queries;
  }

  private static List<Path> files(Path dir, String suffix) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
    }
  }

  private static void collectExprs(String file, JsonElement e, List<Query> queries) {
    if (e.isJsonObject()) {
      JsonObject o = e.getAsJsonObject();
      for (var entry : o.entrySet()) {
        if ((entry.getKey().equals("expr") || entry.getKey().equals("query"))
            && entry.getValue().isJsonPrimitive()) {
          JsonElement legend = o.get("legendFormat");
          queries.add(
              new Query(
                  file,
                  entry.getValue().getAsString(),
                  legend != null && legend.isJsonPrimitive() ? legend.getAsString() : ""));
        } else {
          collectExprs(file, entry.getValue(), queries);
        }
      }
    } else if (e.isJsonArray()) {
      e.getAsJsonArray().forEach(x -> collectExprs(file, x, queries));
    }
  }

  /** The {@code expr:} values of a rules file, single-line or block scalars. */
  static List<String> ruleExpressions(String yaml) {
    List<String> exprs = new ArrayList<>();
    String[] lines = yaml.split("\n");
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      int at = line.indexOf("expr:");
      if (at < 0 || line.strip().startsWith("#")) {
        continue;
      }
      String rest = line.substring(at + 5).strip();
      if (rest.equals("|") || rest.equals(">") || rest.equals("|-") || rest.equals(">-")) {
        int indent = at;
        StringBuilder block = new StringBuilder();
        while (i + 1 < lines.length
            && (lines[i + 1].isBlank()
                || lines[i + 1].length() - lines[i + 1].stripLeading().length() > indent)) {
          block.append(lines[++i]).append('\n');
        }
        exprs.add(block.toString());
      } else {
        exprs.add(rest);
      }
    }
    return exprs;
  }

  static Set<String> namesIn(String query) {
    // label matchers and label lists name labels, not metrics
    String bare =
        query
            .replaceAll("\\{[^}]*}", " ")
            .replaceAll("\"[^\"]*\"", " ")
            .replaceAll(
                "(?i)\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
    Set<String> names = new TreeSet<>();
    Matcher m = NAME.matcher(bare);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  /** The series names in a Prometheus text scrape. */
  static Set<String> exported(String scrape) {
    Set<String> names = new TreeSet<>();
    for (String line : scrape.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int end = line.indexOf('{');
      names.add(line.substring(0, end < 0 ? line.indexOf(' ') : end));
    }
    return names;
  }

  /**
   * The label names of each series name in a Prometheus text scrape (of all its series together).
   */
  static Map<String, Set<String>> exportedLabels(String scrape) {
    Map<String, Set<String>> labels = new TreeMap<>();
    for (String line : scrape.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int open = line.indexOf('{');
      String name = line.substring(0, open < 0 ? line.indexOf(' ') : open);
      Set<String> names = labels.computeIfAbsent(name, n -> new TreeSet<>());
      if (open >= 0) {
        Matcher m = SERIES_LABEL.matcher(line.substring(open, line.lastIndexOf('}') + 1));
        while (m.find()) {
          names.add(m.group(1));
        }
      }
    }
    return labels;
  }

  /** The family of a series name: without _bucket, _sum, _count or _total. */
  static String base(String name) {
    return name.replaceAll("_(bucket|sum|count|total)$", "");
  }

  /**
   * Whether an instrument of this name is declared in the processes' main sources: a counter that
   * only has a series once its event happened (an INTERNAL_ERROR, a reclaim, a Redis error) is
   * still a metric that exists.
   */
  static boolean declaredForEvent(String name, Path root) {
    String family = base(name).replaceAll("_(seconds|bytes|milliseconds|ratio)$", "");
    Set<String> declared = new TreeSet<>();
    for (String module : List.of("coordinator", "worker", "telemetry")) {
      try (Stream<Path> s = Files.walk(root.resolve(module).resolve("src/main/java"))) {
        for (Path p : s.filter(f -> f.toString().endsWith(".java")).toList()) {
          Matcher m = LITERAL.matcher(Files.readString(p));
          while (m.find()) {
            declared.add(m.group(1).replace('.', '_'));
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return declared.contains(family);
  }
}
