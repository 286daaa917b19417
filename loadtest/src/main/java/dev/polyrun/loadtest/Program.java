package dev.polyrun.loadtest;

import com.google.protobuf.ByteString;
import dev.polyrun.proto.v1.ExecuteRequest;
import dev.polyrun.proto.v1.Limits;
import dev.polyrun.proto.v1.Result;
import dev.polyrun.proto.v1.SourceFile;
import dev.polyrun.proto.v1.TestCase;
import dev.polyrun.proto.v1.Verdict;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A program the harness sends, and what it must produce: the request's parts plus the expected
 * verdict and, when known, the exact standard output. A run that ends otherwise counts as an error
 * ({@link #check}), so a cluster that answers fast but wrongly does not look good.
 *
 * @param name how reports call it, e.g. {@code python-hello}
 * @param language the language name the cluster lists, e.g. {@code python}
 * @param files the source files; a single file with an empty path takes the language's default file
 *     name
 * @param stdin bytes given to the program
 * @param testCases cases judged against one compiled program; empty for a plain run
 * @param runLimits run-stage limits; the default instance takes the language's defaults
 * @param expectedVerdict {@code OK} for a plain run, {@code ACCEPTED} for a judged one, or e.g.
 *     {@code TIME_LIMIT_EXCEEDED} for a canary that must hit its limit
 * @param expectedStdout the exact output of a plain run; empty when not checked
 */
public record Program(
    String name,
    String language,
    List<SourceFile> files,
    ByteString stdin,
    List<TestCase> testCases,
    Limits runLimits,
    Verdict expectedVerdict,
    Optional<ByteString> expectedStdout) {

  public Program {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(language, "language");
    if (name.isBlank() || language.isBlank()) {
      throw new IllegalArgumentException(
          "program name '" + name + "', language '" + language + "' (expected: both non-blank)");
    }
    if (files.isEmpty()) {
      throw new IllegalArgumentException(
          "program " + name + ": no source file (expected: at least one)");
    }
    files = List.copyOf(files);
    testCases = List.copyOf(testCases);
    Objects.requireNonNull(stdin, "stdin");
    Objects.requireNonNull(runLimits, "runLimits");
    Objects.requireNonNull(expectedVerdict, "expectedVerdict");
    Objects.requireNonNull(expectedStdout, "expectedStdout");
  }

  /**
   * A plain run of one source file under the language's default file name that must print {@code
   * stdout}.
   */
  public static Program of(String name, String language, ByteString source, ByteString stdout) {
    return new Program(
        name,
        language,
        List.of(SourceFile.newBuilder().setContent(source).build()),
        ByteString.EMPTY,
        List.of(),
        Limits.getDefaultInstance(),
        Verdict.VERDICT_OK,
        Optional.of(stdout));
  }

  /** Whether the program is judged against test cases. */
  public boolean judged() {
    return !testCases.isEmpty();
  }

  /** The Execute request of one run of this program. */
  public ExecuteRequest request() {
    return ExecuteRequest.newBuilder()
        .setLanguage(language)
        .addAllFiles(files)
        .setStdin(stdin)
        .addAllTestCases(testCases)
        .setRunLimits(runLimits)
        .build();
  }

  /**
   * Why a result is not what this program must produce, or empty when it is: the verdict, the
   * number of accepted cases of a judged program, and the exact output of a plain one.
   *
   * @param stdout what the program printed (the streamed chunks, or the result's copy)
   */
  public Optional<String> check(Result result, ByteString stdout) {
    if (result.getVerdict() != expectedVerdict) {
      return Optional.of(
          "verdict "
              + result.getVerdict()
              + " (expected: "
              + expectedVerdict
              + ")"
              + (result.getMessage().isEmpty() ? "" : ": " + result.getMessage()));
    }
    if (judged()
        && expectedVerdict == Verdict.VERDICT_ACCEPTED
        && result.getTestCasesPassed() != testCases.size()) {
      return Optional.of(
          "passed " + result.getTestCasesPassed() + " of " + testCases.size() + " test cases");
    }
    if (!judged() && expectedStdout.isPresent() && !expectedStdout.get().equals(stdout)) {
      return Optional.of(
          "stdout " + quote(stdout) + " (expected: " + quote(expectedStdout.get()) + ")");
    }
    return Optional.empty();
  }

  private static String quote(ByteString bytes) {
    String text =
        bytes.size() > 60 ? bytes.substring(0, 60).toStringUtf8() + "..." : bytes.toStringUtf8();
    return "'" + text.replace("\n", "\\n") + "'";
  }
}
