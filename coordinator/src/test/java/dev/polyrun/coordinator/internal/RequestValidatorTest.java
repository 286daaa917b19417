package dev.polyrun.coordinator.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.polyrun.config.StageLimits;
import dev.polyrun.coordinator.ServerLimits;
import dev.polyrun.proto.v1.Comparator;
import dev.polyrun.proto.v1.Language;
import dev.polyrun.proto.v1.LanguageVersion;
import dev.polyrun.proto.v1.Limits;
import dev.polyrun.proto.v1.SourceFile;
import dev.polyrun.proto.v1.SubmitRequest;
import dev.polyrun.proto.v1.TestCase;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequestValidatorTest {
  private static final Limits PYTHON_RUN =
      Limits.newBuilder()
          .setCpuTimeMs(5000)
          .setWallTimeMs(10000)
          .setMemoryBytes(256L << 20)
          .setMaxProcesses(32)
          .setOutputBytes(1 << 20)
          .setFileSizeBytes(16 << 20)
          .build();
  private static final Limits PYTHON_311_RUN =
      PYTHON_RUN.toBuilder().setMemoryBytes(128L << 20).build();
  private static final List<Language> LANGUAGES =
      List.of(
          // as a worker without versions advertises it
          Language.newBuilder().setName("c").setVersion("12.2.0").build(),
          Language.newBuilder()
              .setName("python")
              .setVersion("3.13.5")
              .setDefaultRunLimits(PYTHON_RUN)
              .addVersions(
                  LanguageVersion.newBuilder()
                      .setName("3.13")
                      .setVersion("3.13.5")
                      .setIsDefault(true)
                      .setDefaultRunLimits(PYTHON_RUN))
              .addVersions(
                  LanguageVersion.newBuilder()
                      .setName("3.11")
                      .setVersion("3.11.2")
                      .setDefaultRunLimits(PYTHON_311_RUN))
              .build());
  private static final ServerLimits LIMITS = ServerLimits.defaults();
  private final RequestValidator validator = new RequestValidator(LIMITS);

  private static SubmitRequest.Builder python() {
    return SubmitRequest.newBuilder()
        .setLanguage("python")
        .addFiles(SourceFile.newBuilder().setContent(ByteString.copyFromUtf8("print(1)")));
  }

  private static SourceFile file(String path, int bytes) {
    return SourceFile.newBuilder()
        .setPath(path)
        .setContent(ByteString.copyFrom(new byte[bytes]))
        .build();
  }

  private List<String> violations(SubmitRequest request) {
    try {
      validator.validate(request, LANGUAGES, LIMITS.stage());
      return List.of();
    } catch (InvalidRequestException e) {
      return e.violations().stream().map(Violation::toString).toList();
    }
  }

  @Test
  void aSingleUnnamedFileTakesTheLanguagesDefaultLimitsExplicitly() {
    SubmitRequest resolved = validator.validate(python().build(), LANGUAGES, LIMITS.stage());

    assertThat(resolved.getRunLimits()).isEqualTo(PYTHON_RUN);
    assertThat(resolved.getCompileLimits()).isEqualTo(Limits.getDefaultInstance());
  }

  @Test
  void unknownLanguageNamesTheKnownOnes() {
    assertThat(violations(python().setLanguage("cobol").build()))
        .containsExactly("language: 'cobol' (expected: one of [c, python])");
  }

  @Test
  void missingLanguageAndMissingSourceAreBothReported() {
    assertThat(violations(SubmitRequest.getDefaultInstance()))
        .containsExactly(
            "language: missing (expected: one of [c, python])",
            "files: no source file (expected: at least one)");
  }

  @Test
  void anUnknownVersionNamesTheVersionsThereAre() {
    assertThat(violations(python().setVersion("2.7").build()))
        .containsExactly("version: '2.7' (expected: one of 3.13, 3.11, or empty for the default)");
    assertThat(violations(python().setVersion("3.11.2").build()))
        .containsExactly(
            "version: '3.11.2' (expected: one of 3.13, 3.11, or empty for the default)");
    assertThat(violations(python().setVersion("3.11").build())).isEmpty();
  }

  @Test
  void aSelectedVersionTakesItsOwnDefaultLimits() {
    assertThat(
            validator
                .validate(python().setVersion("3.11").build(), LANGUAGES, LIMITS.stage())
                .getRunLimits())
        .isEqualTo(PYTHON_311_RUN);
    assertThat(
            validator
                .validate(python().setVersion("3.13").build(), LANGUAGES, LIMITS.stage())
                .getRunLimits())
        .isEqualTo(PYTHON_RUN);
  }

  @Test
  void aLanguageAdvertisedWithoutVersionsHasItsProbedVersionAsTheOnlyOne() {
    SubmitRequest c = python().setLanguage("c").build();

    assertThat(violations(c.toBuilder().setVersion("12.2.0").build())).isEmpty();
    assertThat(violations(c.toBuilder().setVersion("12").build()))
        .containsExactly("version: '12' (expected: one of 12.2.0, or empty for the default)");
  }

  @Test
  void limitsAboveTheMaximumNameFieldValueAndRange() {
    SubmitRequest r =
        python()
            .setRunLimits(Limits.newBuilder().setMemoryBytes(17179869184L).setCpuTimeMs(-1))
            .build();

    assertThat(violations(r))
        .containsExactly(
            "run_limits.cpu_time_ms: -1 (expected: 0 for the default, or 1..60000)",
            "run_limits.memory_bytes: 17179869184 (expected: 0 for the default, or 1..2147483648),"
                + " or set clamp_limits to lower it to the maximum");
  }

  @Test
  void clampingLowersLimitsToTheMaximaButStillRefusesNegativeOnes() {
    SubmitRequest r =
        python()
            .setClampLimits(true)
            .setRunLimits(Limits.newBuilder().setMemoryBytes(17179869184L).setWallTimeMs(500))
            .build();

    Limits run = validator.validate(r, LANGUAGES, LIMITS.stage()).getRunLimits();

    assertThat(run.getMemoryBytes()).isEqualTo(2L << 30);
    assertThat(run.getWallTimeMs()).isEqualTo(500);
    assertThat(run.getCpuTimeMs()).isEqualTo(5000);
    assertThat(
            violations(r.toBuilder().setRunLimits(Limits.newBuilder().setOutputBytes(-5)).build()))
        .containsExactly(
            "run_limits.output_bytes: -5 (expected: 0 for the default, or 1..67108864)");
  }

  @Test
  void aTenantsLowerMaximaApplyAndLowerTheDefaultsToo() {
    StageLimits tenant =
        new StageLimits(Duration.ofSeconds(1), Duration.ofSeconds(2), 64L << 20, 8, 4096, 4096);
    SubmitRequest r = python().setRunLimits(Limits.newBuilder().setMaxProcesses(16)).build();

    assertThatThrownBy(() -> validator.validate(r, LANGUAGES, tenant))
        .hasMessage(
            "run_limits.max_processes: 16 (expected: 0 for the default, or 1..8),"
                + " or set clamp_limits to lower it to the maximum");
    Limits run = validator.validate(python().build(), LANGUAGES, tenant).getRunLimits();
    assertThat(run)
        .isEqualTo(
            Limits.newBuilder()
                .setCpuTimeMs(1000)
                .setWallTimeMs(2000)
                .setMemoryBytes(64L << 20)
                .setMaxProcesses(8)
                .setOutputBytes(4096)
                .setFileSizeBytes(4096)
                .build());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "../etc/passwd",
        "/abs.py",
        "a//b.py",
        "./x.py",
        "dir/../x.py",
        "sp ace.py",
        "a/",
        ".."
      })
  void unsafePathsAreRefusedNamingThePath(String path) {
    SubmitRequest r =
        SubmitRequest.newBuilder()
            .setLanguage("python")
            .addFiles(SourceFile.newBuilder().setPath("main.py"))
            .addFiles(SourceFile.newBuilder().setPath(path))
            .build();

    assertThat(violations(r))
        .singleElement()
        .asString()
        .startsWith("files[1].path: '" + path + "'");
  }

  @Test
  void duplicatePathsAndAnUnknownEntryFileAreRefused() {
    SubmitRequest r =
        SubmitRequest.newBuilder()
            .setLanguage("python")
            .addFiles(SourceFile.newBuilder().setPath("pkg/util.py"))
            .addFiles(SourceFile.newBuilder().setPath("pkg/util.py"))
            .setEntryFile("main.py")
            .build();

    assertThat(violations(r))
        .containsExactly(
            "files[1].path: 'pkg/util.py' appears twice (expected: unique paths)",
            "entry_file: 'main.py' (expected: the path of one of the files)");
  }

  @Test
  void aFileCannotAlsoBeADirectory() {
    SubmitRequest r =
        SubmitRequest.newBuilder()
            .setLanguage("python")
            .addFiles(file("pkg", 1))
            .addFiles(file("pkg/util.py", 1))
            .build();

    assertThat(violations(r))
        .containsExactly(
            "files[1].path: 'pkg/util.py' is under 'pkg', which is a file (expected: a path whose directories are not files)");
  }

  @Test
  void tooManyFilesAndTooManyBytesAreRefusedNamingTheLargestFile() {
    SubmitRequest.Builder many = SubmitRequest.newBuilder().setLanguage("python");
    for (int i = 0; i < 65; i++) {
      many.addFiles(file("f" + i + ".py", 1));
    }
    assertThat(violations(many.build())).containsExactly("files: 65 files (expected: <= 64)");

    SubmitRequest big =
        SubmitRequest.newBuilder()
            .setLanguage("python")
            .addFiles(file("main.py", 10))
            .addFiles(file("data/big.txt", 8 << 20))
            .build();
    assertThat(violations(big))
        .containsExactly(
            "files: 8388618 bytes in all (expected: <= 8388608);"
                + " the largest is 'data/big.txt' with 8388608 bytes");
  }

  @Test
  void oversizedStdinIsRefused() {
    SubmitRequest r = python().setStdin(ByteString.copyFrom(new byte[(8 << 20) + 1])).build();

    assertThat(violations(r)).containsExactly("stdin: 8388609 bytes (expected: <= 8388608)");
  }

  @Test
  void argumentsMayHoldAnythingButNulAndAreCountedAndSized() {
    assertThat(violations(python().addArgs("$(rm -rf /); echo 'x' \"y\" | z").build())).isEmpty();
    assertThat(violations(python().addArgs("ok").addArgs("a\0b").addCompileOptions("-O\0").build()))
        .containsExactly(
            "args[1]: contains a NUL character (expected: text without NUL)",
            "compile_options[0]: contains a NUL character (expected: text without NUL)");
    assertThat(violations(python().addAllArgs(Collections.nCopies(257, "a")).build()))
        .containsExactly("args: 257 arguments (expected: <= 256)");
    assertThat(violations(python().addCompileOptions("x".repeat(65537)).build()))
        .containsExactly("compile_options: 65537 bytes in all (expected: <= 65536)");
  }

  @Test
  void idempotencyKeysArePrintableAsciiOfAtMost128Characters() {
    assertThat(violations(python().setIdempotencyKey("order-42/attempt:1").build())).isEmpty();
    assertThat(violations(python().setIdempotencyKey("has space").build()))
        .containsExactly(
            "idempotency_key: 'has space' (expected: 1-128 printable ASCII characters without spaces, or empty)");
    assertThat(violations(python().setIdempotencyKey("k".repeat(129)).build()))
        .singleElement()
        .asString()
        .contains("(129 characters")
        .contains("expected: 1-128");
  }

  @Test
  void testCasesAreCountedSizedNamedAndTheirTolerancesChecked() {
    TestCase ok =
        TestCase.newBuilder()
            .setName("01")
            .setExpectedStdout(ByteString.copyFromUtf8("1\n"))
            .build();
    assertThat(violations(python().addTestCases(ok).build())).isEmpty();

    SubmitRequest bad =
        python()
            .setStdin(ByteString.copyFromUtf8("x"))
            .addTestCases(ok)
            .addTestCases(
                ok.toBuilder().setTolerance(-0.5).setComparator(Comparator.COMPARATOR_NUMBERS))
            .addTestCases(TestCase.newBuilder().setName("bad\nname").setTolerance(Double.NaN))
            .build();

    assertThat(violations(bad))
        .containsExactly(
            "stdin: 1 bytes with test cases (expected: empty; each test case has its own stdin)",
            "test_cases[1].name: '01' appears twice (expected: unique names)",
            "test_cases[1].tolerance: -0.5 (expected: a finite number >= 0)",
            "test_cases[2].name: 'bad?name' (expected: at most 64 characters, no control characters)",
            "test_cases[2].tolerance: NaN (expected: a finite number >= 0)");
  }

  @Test
  void tooManyOrTooLargeTestCasesAreRefused() {
    SubmitRequest.Builder many = python();
    for (int i = 0; i < 101; i++) {
      many.addTestCases(TestCase.newBuilder().setName("c" + i));
    }
    assertThat(violations(many.build()))
        .containsExactly("test_cases: 101 test cases (expected: <= 100)");

    SubmitRequest big =
        python()
            .addTestCases(
                TestCase.newBuilder()
                    .setStdin(ByteString.copyFrom(new byte[8 << 20]))
                    .setExpectedStdout(ByteString.copyFrom(new byte[(8 << 20) + 1])))
            .build();
    assertThat(violations(big))
        .containsExactly(
            "test_cases: 16777217 bytes of stdin and expected output in all (expected: <= 16777216)");
  }

  @Test
  void atMostTwentyViolationsAreListedAndTheRestCounted() {
    SubmitRequest.Builder r = SubmitRequest.newBuilder().setLanguage("python");
    for (int i = 0; i < 30; i++) {
      r.addFiles(file("same.py", 1));
    }

    List<String> violations = violations(r.build());

    assertThat(violations)
        .hasSize(21)
        .startsWith("files[1].path: 'same.py' appears twice (expected: unique paths)")
        .endsWith("request: 9 more violations not listed");
  }

  @Test
  void theExceptionMessageListsEveryViolation() {
    assertThatThrownBy(
            () ->
                validator.validate(
                    python()
                        .setLanguage("x")
                        .setRunLimits(Limits.newBuilder().setMaxProcesses(100000))
                        .build(),
                    LANGUAGES,
                    LIMITS.stage()))
        .hasMessage(
            "language: 'x' (expected: one of [c, python]); run_limits.max_processes: 100000"
                + " (expected: 0 for the default, or 1..512), or set clamp_limits to lower it to the maximum");
  }
}
