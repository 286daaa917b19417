package dev.polyrun.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The alert rules, checked and unit-tested by Prometheus's own {@code promtool} over recorded
 * series (monitoring/prometheus/polyrun.rules.test.yml): each alert fires on the series that should
 * raise it and stays quiet on a healthy cluster.
 */
class AlertRulesTest {
  private static final Path RULES =
      Path.of(System.getProperty("polyrun.monitoring.dir", ".")).resolve("prometheus");

  @Test
  void rulesAreValidPrometheusRules() throws Exception {
    Result check = promtool("check", "rules", "polyrun.rules.yml");

    assertThat(check.exit).as(check.output).isZero();
    assertThat(check.output).contains("SUCCESS");
  }

  @Test
  void eachAlertFiresOnItsRecordedSeriesAndStaysQuietOnAHealthyOne() throws Exception {
    Result test = promtool("test", "rules", "polyrun.rules.test.yml");

    System.out.println(
        "promtool test rules polyrun.rules.test.yml: "
            + (test.exit == 0 ? "PASS" : "FAIL")
            + "\n"
            + test.output);
    assertThat(test.exit).as(test.output).isZero();
    assertThat(test.output).contains("SUCCESS");
  }

  private record Result(int exit, String output) {}

  private static Result promtool(String... args) throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>(List.of("promtool"));
    command.addAll(List.of(args));
    Process p;
    try {
      p = new ProcessBuilder(command).directory(RULES.toFile()).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new AssertionError(
          "promtool is missing: install Debian's prometheus package (bin/lib/setup.sh does)", e);
    }
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(
          "promtool " + String.join(" ", args) + " did not finish in 2 minutes:\n" + output);
    }
    return new Result(p.exitValue(), output);
  }
}
