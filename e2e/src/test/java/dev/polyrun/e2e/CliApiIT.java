package dev.polyrun.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.polyrun.coordinator.AuthMode;
import dev.polyrun.coordinator.Tenants;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI's judge mode, JSON output, API keys and config file, against a cluster that wants keys.
 */
class CliApiIT {
  private static final Path ROOT =
      Path.of(System.getProperty("polyrun.root", "..")).toAbsolutePath().normalize();
  private static final String KEY = "cli-test-key";
  private static final String ADD = "a, b = map(int, input().split())\nprint(a + b)\n";

  @RegisterExtension
  static final ClusterExtension cluster =
      ClusterExtension.of(
          b ->
              b.coordinator(
                  c ->
                      c.auth(AuthMode.KEYS)
                          .tenants(
                              Tenants.of(
                                  List.of(LocalCluster.tenant("cli", KEY, 100, 100, 100))))));

  @TempDir Path dir;

  record Outcome(int exitCode, String stdout, String stderr) {
    JsonObject json() {
      return JsonParser.parseString(stdout).getAsJsonObject();
    }
  }

  private Outcome polyrun(Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(ROOT.resolve("bin/polyrun").toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("POLYRUN_"));
    pb.environment().put("POLYRUN_ADDR", cluster.target());
    pb.environment().put("POLYRUN_CLUSTER_DIR", dir.resolve("no-cluster").toString());
    pb.environment().put("HOME", dir.toString());
    pb.environment().putAll(env);
    Path out = dir.resolve("out");
    Path err = dir.resolve("err");
    Process p =
        pb.redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .redirectInput(ProcessBuilder.Redirect.PIPE)
            .start();
    p.getOutputStream().close();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("polyrun finished").isTrue();
    return new Outcome(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  private Outcome polyrun(String... args) throws IOException, InterruptedException {
    return polyrun(Map.of("POLYRUN_API_KEY", KEY), args);
  }

  private Path file(String name, String content) throws IOException {
    Path path = dir.resolve(name);
    Files.createDirectories(path.getParent());
    return Files.writeString(path, content);
  }

  private void testCase(String name, String in, String out) throws IOException {
    file("tests/" + name + ".in", in);
    file("tests/" + name + ".out", out);
  }

  @Test
  void judgeModePrintsAVerdictPerCaseAndExitsZeroWhenAllPass() throws Exception {
    file("add.py", ADD);
    testCase("1", "1 2\n", "3\n");
    testCase("2", "5 5\n", "10\n");
    testCase("10", "20 22\n", "42\n");

    Outcome o = polyrun("run", "add.py", "--tests", "tests");

    assertThat(o.exitCode()).as(o.stderr()).isZero();
    assertThat(o.stdout())
        .containsPattern("(?m)^CASE +VERDICT +CPU +WALL +MEMORY$")
        .containsPattern("(?s)\\n1 +ACCEPTED .*\\n2 +ACCEPTED .*\\n10 +ACCEPTED ")
        .contains("passed 3 of 3 test cases");
  }

  @Test
  void judgeModeExitsWithWrongAnswerWhenACaseFails() throws Exception {
    file("add.py", ADD);
    testCase("good", "1 2\n", "3\n");
    testCase("bad", "2 2\n", "5\n");

    Outcome o = polyrun("run", "add.py", "--tests", "tests");

    assertThat(o.exitCode()).isEqualTo(106);
    assertThat(o.stdout())
        .containsPattern("(?m)^bad +WRONG_ANSWER ")
        .containsPattern("(?m)^good +ACCEPTED ")
        .contains("passed 1 of 2 test cases");
    assertThat(o.stderr()).startsWith("polyrun: WRONG_ANSWER");
  }

  @Test
  void judgeModeWithACompileErrorExitsWithItsCode() throws Exception {
    file("bad.c", "int main(void) { return nope; }\n");
    testCase("1", "", "x\n");

    Outcome o = polyrun("run", "bad.c", "--tests", "tests");

    assertThat(o.exitCode()).isEqualTo(100);
    assertThat(o.stderr()).contains("nope").contains("polyrun: COMPILE_ERROR");
  }

  @Test
  void jsonOutputOfARunCarriesTheVerdictOutputAndExitCode() throws Exception {
    file(
        "main.py",
        "import sys\nfrom lib.util import twice\nprint(twice(sys.stdin.read().strip()))\nsys.exit(3)\n");
    file("lib/util.py", "def twice(s):\n    return s + s\n");
    file("in.txt", "ab\n");

    Outcome o =
        polyrun(
            "--json",
            "run",
            "main.py",
            "lib/util.py",
            "--stdin",
            "in.txt",
            "--time",
            "5s",
            "--memory",
            "128m");

    assertThat(o.exitCode()).isEqualTo(3);
    JsonObject json = o.json();
    assertThat(json.get("stdout").getAsString()).isEqualTo("abab\n");
    assertThat(json.getAsJsonObject("result").get("verdict").getAsString())
        .isEqualTo("VERDICT_RUNTIME_ERROR");
    JsonObject limits =
        json.getAsJsonObject("result").getAsJsonObject("run").getAsJsonObject("limits");
    assertThat(limits.get("wall_time_ms").getAsString()).isEqualTo("5000");
    assertThat(limits.get("memory_bytes").getAsString()).isEqualTo(String.valueOf(128L << 20));
    assertThat(json.get("exit_code").getAsInt()).isEqualTo(3);
  }

  @Test
  void aDetachedJobCanBeReadAndCancelledAsJson() throws Exception {
    file("sleep.py", "import time\ntime.sleep(60)\n");
    Outcome submitted = polyrun("--json", "run", "--detach", "--time", "30s", "sleep.py");
    String jobId = submitted.json().get("job_id").getAsString();

    Outcome job = polyrun("--json", "job", jobId);
    Outcome cancelled = polyrun("--json", "cancel", jobId);

    assertThat(job.exitCode()).isZero();
    assertThat(job.json().get("job_id").getAsString()).isEqualTo(jobId);
    assertThat(job.json().get("language").getAsString()).isEqualTo("python");
    assertThat(cancelled.json().get("state").getAsString()).isEqualTo("JOB_STATE_CANCELLED");
  }

  @Test
  void withoutAKeyTheCliSaysHowToGiveOneAndExits107() throws Exception {
    file("hello.py", "print(1)\n");

    Outcome text = polyrun(Map.of(), "run", "hello.py");
    Outcome json = polyrun(Map.of(), "--json", "run", "hello.py");

    assertThat(text.exitCode()).isEqualTo(107);
    assertThat(text.stderr())
        .startsWith("polyrun: UNAUTHENTICATED: missing API key")
        .contains("--api-key");
    assertThat(json.exitCode()).isEqualTo(107);
    assertThat(json.json().getAsJsonObject("error").get("code").getAsString())
        .isEqualTo("UNAUTHENTICATED");
  }

  @Test
  void theKeyComesFromTheFlagOrTheConfigFile() throws Exception {
    file("hello.py", "print('keyed')\n");
    file("polyrun.conf", "addr = " + cluster.target() + "\napi-key = " + KEY + "\nmemory = 64m\n");

    Outcome flag = polyrun(Map.of(), "--api-key", KEY, "run", "hello.py");
    Outcome config =
        polyrun(
            Map.of("POLYRUN_ADDR", ""), "--config", "polyrun.conf", "--json", "run", "hello.py");

    assertThat(flag.stdout()).isEqualTo("keyed\n");
    assertThat(config.json().get("stdout").getAsString()).isEqualTo("keyed\n");
    assertThat(
            config
                .json()
                .getAsJsonObject("result")
                .getAsJsonObject("run")
                .getAsJsonObject("limits")
                .get("memory_bytes")
                .getAsString())
        .as("the config file's default")
        .isEqualTo(String.valueOf(64L << 20));
  }

  @Test
  void theLocalClustersKeyIsSentToItsAddressOnly() throws Exception {
    file("hello.py", "print('local')\n");
    file("cluster/addr", cluster.target() + "\n");
    file("cluster/api-key", KEY + "\n");
    Map<String, String> env =
        Map.of("POLYRUN_ADDR", "", "POLYRUN_CLUSTER_DIR", dir.resolve("cluster").toString());

    Outcome local = polyrun(env, "run", "hello.py");
    Map<String, String> elsewhere = new HashMap<>(env);
    elsewhere.put("POLYRUN_ADDR", "localhost:" + cluster.get().coordinator.grpcPort());
    Outcome other = polyrun(elsewhere, "run", "hello.py");

    assertThat(local.stdout()).isEqualTo("local\n");
    assertThat(other.exitCode()).as("no key for another address").isEqualTo(107);
    assertThat(other.stderr()).contains("UNAUTHENTICATED");
  }

  @Test
  void limitsAboveTheMaximaAreRefusedUnlessClamped() throws Exception {
    file("hello.py", "print(1)\n");

    Outcome refused = polyrun("run", "--memory", "64g", "hello.py");
    Outcome clamped = polyrun("--json", "run", "--memory", "64g", "--clamp", "hello.py");

    assertThat(refused.exitCode()).isEqualTo(107);
    assertThat(refused.stderr())
        .contains(
            "run_limits.memory_bytes: 68719476736 (expected: 0 for the default, or 1..2147483648)");
    assertThat(clamped.exitCode()).isZero();
    assertThat(
            clamped
                .json()
                .getAsJsonObject("result")
                .getAsJsonObject("run")
                .getAsJsonObject("limits")
                .get("memory_bytes")
                .getAsString())
        .isEqualTo(String.valueOf(2L << 30));
  }

  @Test
  void apiKeyHashPrintsTheDigestATenantsFileHolds() throws Exception {
    Outcome created = polyrun(Map.of(), "--json", "api-key", "new");
    String key = created.json().get("api_key").getAsString();

    assertThat(created.json().get("sha256").getAsString()).isEqualTo(Tenants.sha256Hex(key));
    assertThat(key).matches("pr_[0-9a-f]{64}");
  }

  @Test
  void helpDocumentsEveryOption() throws Exception {
    Outcome top = polyrun(Map.of(), "--help");
    Outcome run = polyrun(Map.of(), "run", "--help");

    assertThat(top.stdout())
        .contains(
            "--api-key",
            "--json",
            "--config",
            "--[no-]tls",
            "--ca",
            "--cert",
            "POLYRUN_API_KEY",
            "api-key",
            "job",
            "cancel");
    assertThat(run.stdout())
        .contains(
            "--tests",
            "--stdin",
            "--time",
            "--memory",
            "--cpu-time",
            "--clamp",
            "--comparator",
            "--idempotency-key",
            "--detach",
            "--arg",
            "--compile-option");
  }
}
