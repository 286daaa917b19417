package dev.polyrun.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.polyrun.proto.v1.ExecuteRequest;
import dev.polyrun.proto.v1.JobEvent;
import dev.polyrun.proto.v1.Limits;
import dev.polyrun.proto.v1.Result;
import dev.polyrun.proto.v1.SourceFile;
import dev.polyrun.proto.v1.TestCase;
import dev.polyrun.proto.v1.Verdict;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Multi-file programs, argument lists, limits and every invalid request form, end to end. */
class RequestFormsIT {
  @RegisterExtension static final ClusterExtension cluster = ClusterExtension.standard();

  private static SourceFile file(String path, String content) {
    return SourceFile.newBuilder()
        .setPath(path)
        .setContent(ByteString.copyFromUtf8(content))
        .build();
  }

  private static SourceFile bytes(String path, int size) {
    return SourceFile.newBuilder()
        .setPath(path)
        .setContent(ByteString.copyFrom(new byte[size]))
        .build();
  }

  private static ExecuteRequest.Builder python(SourceFile... files) {
    return ExecuteRequest.newBuilder().setLanguage("python").addAllFiles(List.of(files));
  }

  private static ExecuteRequest.Builder hello() {
    return python(file("main.py", "print(1)"));
  }

  private static List<JobEvent> execute(ExecuteRequest request) {
    List<JobEvent> events = new ArrayList<>();
    cluster.blocking().execute(request).forEachRemaining(events::add);
    return events;
  }

  private static String stdout(List<JobEvent> events) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    events.stream()
        .filter(JobEvent::hasStdout)
        .forEach(e -> out.writeBytes(e.getStdout().toByteArray()));
    return out.toString(StandardCharsets.UTF_8);
  }

  private static Result result(List<JobEvent> events) {
    return events.get(events.size() - 1).getResult();
  }

  @Test
  void aPythonProgramOfSeveralFilesImportsItsPackageFromTheEntryFile() {
    ExecuteRequest request =
        python(
                file("pkg/__init__.py", ""),
                file("pkg/util.py", "def shout(s):\n    return s.upper() + '!'\n"),
                file(
                    "app/main.py",
                    "import sys\nsys.path.insert(0, '.')\nfrom pkg.util import shout\nprint(shout('multi'))\n"))
            .setEntryFile("app/main.py")
            .build();

    List<JobEvent> events = execute(request);

    assertThat(stdout(events)).isEqualTo("MULTI!\n");
    assertThat(result(events).getVerdict()).isEqualTo(Verdict.VERDICT_OK);
  }

  @Test
  void aCProgramOfTwoFilesIsCompiledWithItsOptionsAsAnArgumentList() {
    ExecuteRequest request =
        ExecuteRequest.newBuilder()
            .setLanguage("c")
            .addFiles(
                file(
                    "main.c",
                    "#include <stdio.h>\n#include \"greet.h\"\nint main(void){puts(GREETING);return 0;}\n"))
            .addFiles(file("greet.h", "#ifndef GREETING\n#define GREETING \"default\"\n#endif\n"))
            .addCompileOptions("-DGREETING=\"hello; $(whoami) `id` world\"")
            .build();

    List<JobEvent> events = execute(request);

    assertThat(stdout(events)).isEqualTo("hello; $(whoami) `id` world\n");
  }

  @Test
  void programArgumentsArriveVerbatimWithoutAShell() {
    List<String> args = List.of("two words", "$HOME", "; rm -rf /", "'quoted'", "*", "");
    ExecuteRequest request =
        python(file("main.py", "import sys, json\nprint(json.dumps(sys.argv[1:]))\n"))
            .addAllArgs(args)
            .build();

    assertThat(stdout(execute(request)).strip())
        .isEqualTo("[\"two words\", \"$HOME\", \"; rm -rf /\", \"'quoted'\", \"*\", \"\"]");
  }

  @Test
  void theResultReportsTheLimitsThatAppliedDefaultsIncluded() {
    ExecuteRequest request =
        hello()
            .setRunLimits(Limits.newBuilder().setWallTimeMs(3000).setMemoryBytes(64L << 20))
            .build();

    Limits applied = result(execute(request)).getRun().getLimits();

    assertThat(applied.getWallTimeMs()).isEqualTo(3000);
    assertThat(applied.getMemoryBytes()).isEqualTo(64L << 20);
    assertThat(applied.getCpuTimeMs()).as("the language's default").isPositive();
    assertThat(applied.getMaxProcesses()).isPositive();
  }

  @Test
  void limitsAboveTheMaximaAreClampedWhenTheRequestSaysSo() {
    ExecuteRequest request =
        hello()
            .setClampLimits(true)
            .setRunLimits(Limits.newBuilder().setMemoryBytes(1L << 40).setCpuTimeMs(1_000_000))
            .build();

    Result result = result(execute(request));

    assertThat(result.getVerdict()).isEqualTo(Verdict.VERDICT_OK);
    assertThat(result.getRun().getLimits().getMemoryBytes()).isEqualTo(2L << 30);
    assertThat(result.getRun().getLimits().getCpuTimeMs()).isEqualTo(60_000);
  }

  static Stream<Arguments> invalidRequests() {
    return Stream.of(
        Arguments.of(
            "a path with ..",
            python(file("main.py", ""), file("../escape.py", "")),
            "files[1].path",
            "'../escape.py' (expected: a relative path"),
        Arguments.of(
            "an absolute path",
            python(file("main.py", ""), file("/etc/passwd", "")),
            "files[1].path",
            "'/etc/passwd' (expected: a relative path"),
        Arguments.of(
            "a duplicate path",
            python(file("a.py", ""), file("a.py", "")),
            "files[1].path",
            "'a.py' appears twice"),
        Arguments.of(
            "too many files",
            python(
                java.util.stream.IntStream.range(0, 65)
                    .mapToObj(i -> file(i + ".py", ""))
                    .toArray(SourceFile[]::new)),
            "files",
            "65 files (expected: <= 64)"),
        Arguments.of(
            "many violations at once",
            python(Collections.nCopies(64, file("x.py", "")).toArray(SourceFile[]::new)),
            "request",
            "43 more violations not listed"),
        Arguments.of(
            "too many source bytes",
            python(file("main.py", ""), bytes("big.bin", (8 << 20) + 1)),
            "files",
            "the largest is 'big.bin' with 8388609 bytes"),
        Arguments.of(
            "an unknown entry file", hello().setEntryFile("other.py"), "entry_file", "'other.py'"),
        Arguments.of(
            "a file under a file",
            python(file("pkg", ""), file("pkg/a.py", "")),
            "files[1].path",
            "is under 'pkg', which is a file"),
        Arguments.of(
            "a limit above the maximum",
            hello().setRunLimits(Limits.newBuilder().setWallTimeMs(3_600_000)),
            "run_limits.wall_time_ms",
            "3600000 (expected: 0 for the default, or 1..120000)"),
        Arguments.of(
            "a negative limit",
            hello().setCompileLimits(Limits.newBuilder().setMemoryBytes(-1)),
            "compile_limits.memory_bytes",
            "-1 (expected: 0 for the default, or 1..2147483648)"),
        Arguments.of(
            "an argument with NUL", hello().addArgs("a\0b"), "args[0]", "contains a NUL character"),
        Arguments.of(
            "too many arguments",
            hello().addAllArgs(Collections.nCopies(257, "x")),
            "args",
            "257 arguments"),
        Arguments.of(
            "a bad idempotency key",
            hello().setIdempotencyKey("with space"),
            "idempotency_key",
            "'with space'"),
        Arguments.of(
            "too many test cases",
            hello().addAllTestCases(Collections.nCopies(101, TestCase.getDefaultInstance())),
            "test_cases",
            "101 test cases (expected: <= 100)"),
        Arguments.of(
            "a negative tolerance",
            hello().addTestCases(TestCase.newBuilder().setTolerance(-1)),
            "test_cases[0].tolerance",
            "-1.0 (expected: a finite number >= 0)"),
        Arguments.of(
            "stdin with test cases",
            hello()
                .setStdin(ByteString.copyFromUtf8("x"))
                .addTestCases(TestCase.getDefaultInstance()),
            "stdin",
            "with test cases"),
        Arguments.of(
            "too much test data",
            hello()
                .addTestCases(
                    TestCase.newBuilder().setStdin(ByteString.copyFrom(new byte[9 << 20])))
                .addTestCases(
                    TestCase.newBuilder()
                        .setExpectedStdout(ByteString.copyFrom(new byte[8 << 20]))),
            "test_cases",
            "bytes of stdin and expected output in all (expected: <= 16777216)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidRequests")
  void everyInvalidFormIsRefusedNamingTheFieldAndValue(
      String name, ExecuteRequest.Builder request, String field, String description) {
    assertThatThrownBy(() -> cluster.blocking().submit(LocalCluster.asSubmit(request.build())))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
              assertThat(e.getStatus().getDescription())
                  .contains(field + ": ")
                  .contains(description);
              assertThat(StatusDetails.fields(e)).contains(field);
            });
  }
}
