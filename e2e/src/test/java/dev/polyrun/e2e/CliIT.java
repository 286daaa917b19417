package dev.polyrun.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The {@code bin/polyrun} command as a user runs it, against a real cluster. */
class CliIT {
  private static final Path ROOT =
      Path.of(System.getProperty("polyrun.root", "..")).toAbsolutePath().normalize();
  @RegisterExtension static final ClusterExtension cluster = ClusterExtension.standard();
  @TempDir Path dir;

  record Outcome(int exitCode, String stdout, String stderr) {}

  private Outcome polyrun(String stdin, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(ROOT.resolve("bin/polyrun").toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
    pb.environment().put("POLYRUN_ADDR", cluster.target());
    Path out = dir.resolve("out");
    Path err = dir.resolve("err");
    Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("polyrun finished").isTrue();
    return new Outcome(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  private Path file(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content);
  }

  @Test
  void runPrintsTheProgramsOutputAndExitsZero() throws Exception {
    file("hello.py", "print('Hello, world!')\n");

    Outcome o = polyrun("", "run", "hello.py");

    assertThat(o.stdout()).isEqualTo("Hello, world!\n");
    assertThat(o.stderr()).isEmpty();
    assertThat(o.exitCode()).isZero();
  }

  @Test
  void runPassesItsStdinAndSeparatesStdoutFromStderr() throws Exception {
    file(
        "echo.py",
        "import sys\nd = sys.stdin.read()\nsys.stdout.write(d)\nsys.stderr.write('err:' + d)\n");

    Outcome o = polyrun("line one\n", "run", "echo.py");

    assertThat(o.stdout()).isEqualTo("line one\n");
    assertThat(o.stderr()).isEqualTo("err:line one\n");
  }

  @Test
  void runExitsWithTheProgramsExitCodeAndNamesTheVerdict() throws Exception {
    file("three.py", "import sys\nsys.exit(3)\n");

    Outcome o = polyrun("", "run", "three.py");

    assertThat(o.exitCode()).isEqualTo(3);
    assertThat(o.stderr()).startsWith("polyrun: RUNTIME_ERROR (exit code 3");
  }

  @Test
  void timeLimitIsOneLineAndItsOwnExitCode() throws Exception {
    file("sleep.py", "import time\ntime.sleep(30)\n");

    Outcome o = polyrun("", "run", "--time", "1s", "sleep.py");

    assertThat(o.exitCode()).isEqualTo(101);
    assertThat(o.stderr()).startsWith("polyrun: TIME_LIMIT_EXCEEDED (wall 1.").hasLineCount(1);
  }

  @Test
  void compileErrorPrintsTheCompilerOutput() throws Exception {
    file("bad.c", "int main(void) { return nope; }\n");

    Outcome o = polyrun("", "run", "bad.c");

    assertThat(o.exitCode()).isEqualTo(100);
    assertThat(o.stderr()).contains("nope").contains("polyrun: COMPILE_ERROR");
  }

  @Test
  void languagesListsTheClustersLanguagesWithVersions() throws Exception {
    Outcome o = polyrun("", "languages");

    assertThat(o.exitCode()).isZero();
    // one line per version: the default marked, the probed version beside the selector
    assertThat(o.stdout())
        .containsPattern("(?m)^python +3\\.\\d+ \\(default\\) +3\\.\\d+\\.\\d+ ")
        .containsPattern("(?m)^c +\\d+ \\(default\\) +\\d+\\.\\d+");
  }

  @Test
  void unreachableServiceIsOneClearLine() throws Exception {
    file("hello.py", "print(1)\n");

    Outcome o =
        polyrun(
            "",
            "--addr",
            "127.0.0.1:" + dev.polyrun.queue.testing.TestRedis.freePort(),
            "run",
            "hello.py");

    assertThat(o.exitCode()).isEqualTo(107);
    assertThat(o.stderr())
        .startsWith("polyrun: cannot reach the polyrun service at 127.0.0.1:")
        .hasLineCount(1);
  }
}
