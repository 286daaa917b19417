package dev.polyrun.worker.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import com.google.protobuf.ByteString;
import dev.polyrun.proto.v1.Result;
import dev.polyrun.proto.v1.SourceFile;
import dev.polyrun.proto.v1.SubmitRequest;
import dev.polyrun.proto.v1.Verdict;
import dev.polyrun.worker.it.WorkerHarness.Outcome;
import dev.polyrun.worker.language.InstalledLanguage;
import dev.polyrun.worker.language.LanguageCatalog;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every built version of every language, through the real worker and sandbox: its hello-world and
 * echo samples, then the program shapes of {@code images/<name>/tests/} (another entry file name,
 * several files, a package, stdin to its end, an exit code, stderr, a compile or syntax error).
 * {@code -Dpolyrun.languages=python,java@17} narrows the run to some languages or versions.
 */
class LanguagesIT {
  private static final Path DEFINITIONS =
      Path.of(System.getProperty("polyrun.root", "..")).resolve("images");
  private static final List<String> ONLY =
      Arrays.stream(System.getProperty("polyrun.languages", "").split(","))
          .map(String::strip)
          .filter(s -> !s.isEmpty())
          .toList();

  /** Bytes a careless echo would damage: NUL, invalid UTF-8, CRLF, no final newline. */
  private static final byte[] ECHO_INPUT = echoInput(true);

  /**
   * The same without invalid UTF-8, for a version that reads stdin as text ({@code "stdin":
   * "text"}).
   */
  private static final byte[] ECHO_TEXT = echoInput(false);

  private static WorkerHarness harness;

  @BeforeAll
  static void start() throws Exception {
    // two slots: a version's jobs are submitted together and run two at a time
    harness = new WorkerHarness(2);
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  @TestFactory
  Stream<DynamicContainer> everyLanguageVersionRunsItsSamplesAndProgramShapes() throws IOException {
    List<InstalledLanguage> installed = LanguageCatalog.load(WorkerHarness.IMAGES).all();
    if (ONLY.isEmpty()) {
      assertThat(installed)
          .extracting(InstalledLanguage::name)
          .as("a built image of every definition in %s", DEFINITIONS)
          .containsAll(definedLanguages());
    }
    return installed.stream().filter(LanguagesIT::selected).map(LanguagesIT::container);
  }

  private static boolean selected(InstalledLanguage l) {
    return ONLY.isEmpty()
        || ONLY.contains(l.name())
        || ONLY.contains(l.name() + "@" + l.versionName());
  }

  private static List<String> definedLanguages() throws IOException {
    try (Stream<Path> dirs = Files.list(DEFINITIONS)) {
      return dirs.filter(d -> Files.isRegularFile(d.resolve("language.json")))
          .map(d -> d.getFileName().toString())
          .sorted()
          .toList();
    }
  }

  private static final long WALL_MS = 120_000;

  /** Submits all the version's jobs at once; each test waits for its own. */
  private static DynamicContainer container(InstalledLanguage language) {
    String name = language.name();
    List<ProgramCase> cases = new ArrayList<>();
    cases.add(
        sample(
            language,
            "hello",
            ByteString.EMPTY,
            read(DEFINITIONS.resolve(name).resolve("hello.out"))));
    Object stdin = stdin(language);
    if (!Boolean.FALSE.equals(stdin)) {
      byte[] input = "text".equals(stdin) ? ECHO_TEXT : ECHO_INPUT;
      cases.add(sample(language, "echo", ByteString.copyFrom(input), input));
    }
    ProgramCase.load(DEFINITIONS.resolve(name).resolve("tests")).stream()
        .filter(c -> c.appliesTo(language.versionName()))
        .forEach(cases::add);
    List<String> jobs = new ArrayList<>();
    for (ProgramCase c : cases) {
      // generous wall times: this checks what programs print, and a busy machine (2 slots of JVM
      // and C++ compiles) stretches wall time far beyond cpu time; cpu limits stay the language's
      jobs.add(
          harness.submit(
              c.request().toBuilder()
                  .setLanguage(name)
                  .setVersion(language.versionName())
                  .setCompileLimits(
                      c.request().getCompileLimits().toBuilder().setWallTimeMs(WALL_MS))
                  .setRunLimits(c.request().getRunLimits().toBuilder().setWallTimeMs(WALL_MS))
                  .build()));
    }
    List<DynamicTest> tests = new ArrayList<>();
    tests.add(
        DynamicTest.dynamicTest(
            "the version its tools report is the one it is selected by",
            () ->
                assertThat(language.version())
                    .as("probed version of %s@%s", name, language.versionName())
                    .matches(
                        java.util.regex.Pattern.quote(language.versionName()) + "([.+~_-].*)?")));
    for (int i = 0; i < cases.size(); i++) {
      ProgramCase c = cases.get(i);
      String job = jobs.get(i);
      tests.add(DynamicTest.dynamicTest(c.name(), () -> check(language, c, harness.await(job))));
    }
    return DynamicContainer.dynamicContainer(name + "@" + language.versionName(), tests);
  }

  private static ProgramCase sample(
      InstalledLanguage language, String sample, ByteString stdin, byte[] stdout) {
    String file = language.definition().sourceFile();
    String ext = file.substring(file.lastIndexOf('.'));
    byte[] source = read(DEFINITIONS.resolve(language.name()).resolve(sample + ext));
    SubmitRequest request =
        SubmitRequest.newBuilder()
            .setStdin(stdin)
            .addFiles(SourceFile.newBuilder().setPath(file).setContent(ByteString.copyFrom(source)))
            .build();
    return new ProgramCase(
        sample,
        new ProgramCase.Spec(null, null, null, null, "OK", null, 0, null, null),
        request,
        stdout);
  }

  private static void check(InstalledLanguage language, ProgramCase c, Outcome outcome) {
    ProgramCase.Spec spec = c.spec();
    Result result = outcome.result();
    String label = language.name() + "@" + language.versionName() + " " + c.name();
    String compileOutput = result.getCompileOutput().toStringUtf8();
    assertThat(result.getVerdict())
        .as(
            "%s: verdict (message '%s'; compile output: %s; stderr: %s)",
            label, result.getMessage(), compileOutput, outcome.stderr())
        .isEqualTo(spec.expectedVerdict());
    if (c.expectedStdout() != null) {
      assertThat(outcome.stdoutBytes())
          .as("%s: stdout (was '%s')", label, outcome.stdout())
          .isEqualTo(c.expectedStdout());
    }
    if (spec.exitCode() != null) {
      assertThat(result.getRun().getExitCode())
          .as("%s: exit code (stderr: %s)", label, outcome.stderr())
          .isEqualTo(spec.exitCode());
    }
    if (spec.stderrContains() != null) {
      assertThat(outcome.stderr()).as("%s: stderr", label).contains(spec.stderrContains());
    } else if (spec.expectedVerdict() == Verdict.VERDICT_OK) {
      assertThat(outcome.stderr()).as("%s: stderr", label).isEmpty();
    }
    if (spec.compileOutputContains() != null) {
      assertThat(compileOutput)
          .as("%s: compile output", label)
          .contains(spec.compileOutputContains());
    }
  }

  private static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * What the image's definition says its programs read from stdin: true (any bytes), "text" (UTF-8
   * text only) or false (nothing).
   */
  private static Object stdin(InstalledLanguage language) {
    Path json = language.rootfs().getParent().resolve("language.json");
    JsonElement stdin =
        JsonParser.parseString(new String(read(json), StandardCharsets.UTF_8))
            .getAsJsonObject()
            .get("stdin");
    if (stdin == null) {
      return true;
    }
    return stdin.getAsJsonPrimitive().isBoolean()
        ? (Object) stdin.getAsBoolean()
        : stdin.getAsString();
  }

  private static byte[] echoInput(boolean invalidUtf8) {
    ByteArrayOutputStream in = new ByteArrayOutputStream();
    in.writeBytes("line one\r\nünïcödé\n\nNUL:\0\0:end\n".getBytes(StandardCharsets.UTF_8));
    if (invalidUtf8) {
      in.writeBytes(new byte[] {(byte) 0xff, (byte) 0xfe, (byte) 0x80, (byte) 0xc3, '\n'});
    }
    for (int i = 1; i <= 5000; i++) {
      in.writeBytes((i + "\n").getBytes(StandardCharsets.US_ASCII));
    }
    in.writeBytes("last line without newline".getBytes(StandardCharsets.US_ASCII));
    return in.toByteArray();
  }
}
