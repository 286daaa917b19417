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
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The metric names the dashboards and rules query, and the names a scrape exports. */
final class MetricReferences {
  /** polyrun's metric families and the conventional ones it exports; anything else in a query is PromQL. */
  private static final Pattern NAME = Pattern.compile("\\b((?:polyrun|rpc|db|jvm|system|target)_[a-zA-Z0-9_]+)\\b");
  private static final Pattern LITERAL = Pattern.compile("\"([a-z][a-z0-9_]*(?:\\.[a-z0-9_]+)+)\"");

  private MetricReferences() {}

  /** Every metric name used in the dashboards' queries and the rules' expressions under {@code monitoring}. */
  static Set<String> inMonitoring(Path monitoring) throws IOException {
    Set<String> names = new TreeSet<>();
    for (Path file : files(monitoring.resolve("grafana/dashboards"), ".json")) {
      collectExprs(JsonParser.parseString(Files.readString(file)), names);
    }
    for (Path file : files(monitoring.resolve("prometheus"), ".rules.yml")) {
      for (String expr : ruleExpressions(Files.readString(file))) {
        names.addAll(namesIn(expr));
      }
    }
    return names;
  }

  private static List<Path> files(Path dir, String suffix) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
    }
  }

  private static void collectExprs(JsonElement e, Set<String> names) {
    if (e.isJsonObject()) {
      JsonObject o = e.getAsJsonObject();
      for (var entry : o.entrySet()) {
        if ((entry.getKey().equals("expr") || entry.getKey().equals("query")) && entry.getValue().isJsonPrimitive()) {
          names.addAll(namesIn(entry.getValue().getAsString()));
        } else {
          collectExprs(entry.getValue(), names);
        }
      }
    } else if (e.isJsonArray()) {
      e.getAsJsonArray().forEach(x -> collectExprs(x, names));
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
        while (i + 1 < lines.length && (lines[i + 1].isBlank() || lines[i + 1].length() - lines[i + 1].stripLeading().length() > indent)) {
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
    String bare = query.replaceAll("\\{[^}]*}", " ").replaceAll("\"[^\"]*\"", " ")
        .replaceAll("(?i)\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
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

  static boolean isProbeMetric(String name) {
    return name.startsWith("polyrun_probe_");
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
