package dev.polyrun.coordinator.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.polyrun.coordinator.ServerLimits;
import dev.polyrun.proto.v1.ExecuteRequest;
import dev.polyrun.proto.v1.Language;
import dev.polyrun.proto.v1.Limits;
import dev.polyrun.proto.v1.SourceFile;
import dev.polyrun.proto.v1.TestCase;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequestValidatorTest {
  private static final List<Language> LANGUAGES = List.of(
      Language.newBuilder().setName("c").setVersion("12.2.0").build(),
      Language.newBuilder().setName("python").setVersion("3.11.2").build());
  private final RequestValidator validator = new RequestValidator(ServerLimits.defaults());

  private static ExecuteRequest.Builder python() {
    return ExecuteRequest.newBuilder().setLanguage("python")
        .addFiles(SourceFile.newBuilder().setContent(ByteString.copyFromUtf8("print(1)")));
  }

  private List<String> violations(ExecuteRequest request) {
    try {
      validator.validate(request, LANGUAGES);
      return List.of();
    } catch (RequestValidator.InvalidRequestException e) {
      return e.violations().stream().map(RequestValidator.Violation::toString).toList();
    }
  }

  @Test
  void aSingleUnnamedFileInAKnownLanguageIsValid() {
    assertThatCode(() -> validator.validate(python().build(), LANGUAGES)).doesNotThrowAnyException();
  }

  @Test
  void unknownLanguageNamesTheKnownOnes() {
    assertThat(violations(python().setLanguage("cobol").build()))
        .containsExactly("language: 'cobol' (expected: one of [c, python])");
  }

  @Test
  void missingLanguageAndMissingSourceAreBothReported() {
    assertThat(violations(ExecuteRequest.getDefaultInstance())).containsExactly(
        "language: missing (expected: one of [c, python])",
        "files: no source file (expected: at least one)");
  }

  @Test
  void versionMustMatchTheAdvertisedOne() {
    assertThat(violations(python().setVersion("2.7").build()))
        .containsExactly("version: '2.7' (expected: '3.11.2' or empty)");
    assertThat(violations(python().setVersion("3.11.2").build())).isEmpty();
  }

  @Test
  void limitsAboveTheMaximumNameFieldValueAndRange() {
    ExecuteRequest r = python().setRunLimits(Limits.newBuilder().setMemoryBytes(17179869184L).setCpuTimeMs(-1)).build();

    assertThat(violations(r)).containsExactly(
        "run_limits.cpu_time_ms: -1 (expected: 0 for the default, or 1..60000)",
        "run_limits.memory_bytes: 17179869184 (expected: 0 for the default, or 1..2147483648)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"../etc/passwd", "/abs.py", "a//b.py", "./x.py", "dir/../x.py", "sp ace.py", "a/"})
  void unsafePathsAreRefused(String path) {
    ExecuteRequest r = ExecuteRequest.newBuilder().setLanguage("python")
        .addFiles(SourceFile.newBuilder().setPath("main.py"))
        .addFiles(SourceFile.newBuilder().setPath(path)).build();

    assertThat(violations(r)).singleElement().asString().startsWith("files[1].path: '" + path + "'");
  }

  @Test
  void duplicatePathsAndAnUnknownEntryFileAreRefused() {
    ExecuteRequest r = ExecuteRequest.newBuilder().setLanguage("python")
        .addFiles(SourceFile.newBuilder().setPath("pkg/util.py"))
        .addFiles(SourceFile.newBuilder().setPath("pkg/util.py"))
        .setEntryFile("main.py").build();

    assertThat(violations(r)).containsExactly(
        "files[1].path: 'pkg/util.py' appears twice (expected: unique paths)",
        "entry_file: 'main.py' (expected: the path of one of the files)");
  }

  @Test
  void oversizedStdinIsRefused() {
    ExecuteRequest r = python().setStdin(ByteString.copyFrom(new byte[(8 << 20) + 1])).build();

    assertThat(violations(r)).containsExactly("stdin: 8388609 bytes (expected: <= 8388608)");
  }

  @Test
  void featuresOfLaterReleasesAreReportedAsUnimplemented() {
    assertThat(RequestValidator.unimplemented(python().build())).isEmpty();
    assertThat(RequestValidator.unimplemented(python().addTestCases(TestCase.getDefaultInstance()).build()))
        .hasValueSatisfying(m -> assertThat(m).startsWith("test_cases:").contains("not yet available"));
    assertThat(RequestValidator.unimplemented(python().setIdempotencyKey("k").build())).isPresent();
    assertThat(RequestValidator.unimplemented(python().setCancelOnDisconnect(true).build())).isEmpty();
  }

  @Test
  void theExceptionMessageListsEveryViolation() {
    assertThatThrownBy(() -> validator.validate(python().setLanguage("x").setRunLimits(Limits.newBuilder().setMaxProcesses(100000)).build(), LANGUAGES))
        .hasMessage("language: 'x' (expected: one of [c, python]); run_limits.max_processes: 100000 (expected: 0 for the default, or 1..512)");
  }
}
