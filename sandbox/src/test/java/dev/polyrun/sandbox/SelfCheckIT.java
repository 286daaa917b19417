package dev.polyrun.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image self-check as images/build would run it: a separate JVM, a real image, the real
 * sandbox.
 */
class SelfCheckIT {
  private static final Path SAMPLES =
      Path.of(System.getProperty("polyrun.root", "..")).resolve("images");
  @TempDir Path dir;

  private record Result(int exit, String output) {}

  private Result selfCheck(String language, Path samples) throws IOException, InterruptedException {
    Path image = TestImages.rootfs(language).getParent();
    Path policy =
        Files.writeString(dir.resolve("policy.json"), "{\"ids\": {\"base\": 1050000000}}");
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                SelfCheck.class.getName(),
                "--rootfs",
                image.resolve("rootfs").toString(),
                "--language-json",
                image.resolve("language.json").toString(),
                "--samples",
                samples.toString(),
                "--state",
                dir.resolve("state").toString(),
                "--policy",
                policy.toString()));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return new Result(p.exitValue(), output);
  }

  @Test
  void aGoodImagePassesBothSamplesInTheRealSandbox() throws Exception {
    Result r = selfCheck("python", SAMPLES.resolve("python"));

    assertThat(r.exit()).as(r.output()).isZero();
    assertThat(r.output()).contains("python hello: ok", "python echo: ok");
    assertThat(Leftovers.of(dir.resolve("state"))).isEmpty();
  }

  @Test
  void aSampleThatPrintsSomethingElseFailsTheCheck() throws Exception {
    Path samples = Files.createDirectories(dir.resolve("samples"));
    Files.writeString(samples.resolve("hello.py"), "print('Hello, world?')\n");
    Files.writeString(samples.resolve("hello.out"), "Hello, world!\n");
    Files.copy(SAMPLES.resolve("python/echo.py"), samples.resolve("echo.py"));

    Result r = selfCheck("python", samples);

    assertThat(r.exit()).as(r.output()).isEqualTo(1);
    assertThat(r.output()).contains("python hello: FAILED: stdout differs", "python echo: ok");
  }
}
