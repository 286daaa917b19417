package dev.polyrun.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line up to the point where it would need a cluster. */
class PolyrunCliTest {
  @TempDir Path cwd;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private Map<String, String> env = Map.of();

  @BeforeEach
  void writeAProgram() throws IOException {
    Files.writeString(cwd.resolve("hello.py"), "print('hi')\n");
  }

  private int run(String... args) {
    Io io = new Io(new ByteArrayInputStream(new byte[0]), out, err, env, cwd, false);
    return PolyrunCli.run(io, args);
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  private String stdout() {
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void badSizeNamesTheOptionTheValueAndTheExpectedForm() {
    int code = run("run", "--memory", "12q", "hello.py");

    assertThat(code).isEqualTo(ExitCodes.USAGE);
    assertThat(stderr())
        .startsWith("polyrun: --memory: '12q' (expected: a size like 256m, 1g, 64k)\n");
  }

  @Test
  void badDurationNamesTheOptionTheValueAndTheExpectedForm() {
    int code = run("run", "--time", "5", "hello.py");

    assertThat(code).isEqualTo(ExitCodes.USAGE);
    assertThat(stderr())
        .startsWith("polyrun: --time: '5' (expected: a duration like 500ms, 2s, 5m, 1h)\n");
  }

  @Test
  void unknownFlagIsAUsageError() {
    assertThat(run("run", "--frobnicate", "hello.py")).isEqualTo(ExitCodes.USAGE);
    assertThat(stderr()).contains("Unknown option: '--frobnicate'");
  }

  @Test
  void unreadableFileIsAUsageErrorInOneLine() {
    int code = run("run", "missing.py");

    assertThat(code).isEqualTo(ExitCodes.USAGE);
    assertThat(stderr()).isEqualTo("polyrun: cannot read 'missing.py': no such file\n");
  }

  @Test
  void atSignNamesAFileNotAnArgumentFile() throws IOException {
    Files.writeString(cwd.resolve("args"), "--help\n");

    int code = run("run", "@args");

    assertThat(code).isEqualTo(ExitCodes.USAGE);
    assertThat(stderr()).isEqualTo("polyrun: cannot read '@args': no such file\n");
  }

  @Test
  void missingCommandIsAUsageError() {
    assertThat(run()).isEqualTo(ExitCodes.USAGE);
    assertThat(stderr()).contains("missing a command");
  }

  @Test
  void unreachableServiceExits107WithOneLineAndNoStackTrace() throws IOException {
    int freePort;
    try (ServerSocket socket = new ServerSocket(0)) {
      freePort = socket.getLocalPort();
    }

    int code = run("run", "--addr", "127.0.0.1:" + freePort, "--lang", "python", "hello.py");

    assertThat(code).isEqualTo(ExitCodes.SERVICE_ERROR);
    assertThat(stderr())
        .startsWith(
            "polyrun: cannot reach the polyrun service at 127.0.0.1:" + freePort + " (UNAVAILABLE")
        .doesNotContain("\tat ")
        .hasLineCount(1);
  }

  @Test
  void aBadLanguageVersionIsAUsageErrorBeforeAnyConnection() {
    assertThat(run("run", "--addr", "127.0.0.1:1", "--lang", "python@", "hello.py"))
        .isEqualTo(ExitCodes.USAGE);
    assertThat(stderr()).contains("--lang 'python@': no version after '@'");
  }

  @Test
  void addressComesFromTheFlagThenTheEnvironmentThenTheDefault() {
    env = Map.of(PolyrunCli.ENV_ADDR, "env-host:1");
    Io io = new Io(new ByteArrayInputStream(new byte[0]), out, err, env, cwd, false);

    PolyrunCli fromFlag = parse(io, "run", "--addr", "flag-host:2", "x.py");
    PolyrunCli fromEnv = parse(io, "languages");
    PolyrunCli fromDefault =
        parse(
            new Io(new ByteArrayInputStream(new byte[0]), out, err, Map.of(), cwd, false),
            "job",
            "1");

    assertThat(fromFlag.address()).isEqualTo("flag-host:2");
    assertThat(fromEnv.address()).isEqualTo("env-host:1");
    assertThat(fromDefault.address()).isEqualTo("localhost:50051");
  }

  private static PolyrunCli parse(Io io, String... args) {
    var commandLine = PolyrunCli.commandLine(io);
    commandLine.parseArgs(args);
    return commandLine.getCommand();
  }

  @Test
  void helpDocumentsTheExitCodes() {
    assertThat(run("run", "--help")).isEqualTo(ExitCodes.OK);
    assertThat(stdout())
        .contains("Exit codes:")
        .contains("100    COMPILE_ERROR")
        .contains("107    the service refused")
        .contains("--memory=SIZE")
        .contains("--time=DURATION")
        .contains("--stdin=FILE")
        .contains("--lang=NAME[@VERSION]")
        .contains("--version=VERSION");
  }

  @Test
  void versionNamesTheProgram() {
    assertThat(run("--version")).isEqualTo(ExitCodes.OK);
    assertThat(stdout()).startsWith("polyrun ");
  }
}
