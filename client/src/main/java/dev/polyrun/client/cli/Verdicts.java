package dev.polyrun.client.cli;

import dev.polyrun.proto.v1.Result;
import dev.polyrun.proto.v1.StageStats;
import dev.polyrun.proto.v1.TestCaseResult;
import dev.polyrun.proto.v1.Verdict;
import java.util.Locale;

/** Describes a final result in one line: the verdict and the figures that explain it. */
final class Verdicts {
  private Verdicts() {}

  /** Whether {@code polyrun run} stays silent and exits 0. */
  static boolean isSuccess(Verdict verdict) {
    return verdict == Verdict.VERDICT_OK || verdict == Verdict.VERDICT_ACCEPTED;
  }

  /**
   * The verdict's name as users see it: {@code VERDICT_TIME_LIMIT_EXCEEDED} is TIME_LIMIT_EXCEEDED.
   */
  static String name(Verdict verdict) {
    return verdict == Verdict.UNRECOGNIZED
        ? "UNKNOWN_VERDICT"
        : verdict.name().substring("VERDICT_".length());
  }

  /**
   * The stage the verdict is about: the one that reports the same verdict (run, then compile, then
   * the first such test case), else the run, else the compile stage.
   */
  static StageStats decisiveStage(Result result) {
    Verdict verdict = result.getVerdict();
    if (result.hasRun() && result.getRun().getVerdict() == verdict) {
      return result.getRun();
    }
    if (result.hasCompile() && result.getCompile().getVerdict() == verdict) {
      return result.getCompile();
    }
    for (TestCaseResult testCase : result.getTestCasesList()) {
      if (testCase.getVerdict() == verdict) {
        return testCase.getStats();
      }
    }
    return result.hasRun() ? result.getRun() : result.getCompile();
  }

  /** The line {@code polyrun run} prints on stderr for a verdict other than OK. */
  static String line(Result result) {
    return "polyrun: " + describe(result);
  }

  /**
   * {@code "TIME_LIMIT_EXCEEDED (wall 5.00 s)"}, {@code "RUNTIME_ERROR (exit code 3, cpu 0.01 s,
   * wall 0.04 s, memory 3.1 MiB)"}, followed by {@code ": " + message} when the result has one.
   */
  static String describe(Result result) {
    String figures = figures(result);
    String text = name(result.getVerdict()) + (figures.isEmpty() ? "" : " (" + figures + ")");
    String message = result.getMessage().strip();
    return message.isEmpty() || repeats(figures, message) ? text : text + ": " + message;
  }

  /** Whether the message says no more than the figures ("wall time 5.00 s" vs "wall 5.00 s"). */
  private static boolean repeats(String figures, String message) {
    String said = essence(message);
    return !figures.isEmpty() && !said.isEmpty() && essence(figures).contains(said);
  }

  private static String essence(String text) {
    return text.toLowerCase(Locale.ROOT).replace("time", "").replaceAll("[^a-z0-9]", "");
  }

  private static String figures(Result result) {
    StageStats stage = decisiveStage(result);
    return switch (result.getVerdict()) {
      case VERDICT_RUNTIME_ERROR -> Figures.usage(stage);
      case VERDICT_TIME_LIMIT_EXCEEDED -> timeFigures(stage);
      case VERDICT_MEMORY_LIMIT_EXCEEDED -> memoryFigures(stage);
      case VERDICT_OUTPUT_LIMIT_EXCEEDED ->
          stage.getLimits().getOutputBytes() > 0
              ? "output limit " + Figures.bytes(stage.getLimits().getOutputBytes())
              : "";
      case VERDICT_WRONG_ANSWER, VERDICT_ACCEPTED ->
          result.getTestCasesCount() == 0
              ? ""
              : "passed "
                  + result.getTestCasesPassed()
                  + " of "
                  + result.getTestCasesCount()
                  + " test cases";
      default -> "";
    };
  }

  private static String timeFigures(StageStats stage) {
    return switch (stage.getTimeLimitKind()) {
      case TIME_LIMIT_KIND_WALL -> "wall " + Figures.seconds(stage.getWallTimeMs());
      case TIME_LIMIT_KIND_CPU -> "cpu " + Figures.seconds(stage.getCpuTimeMs());
      default ->
          "cpu "
              + Figures.seconds(stage.getCpuTimeMs())
              + ", wall "
              + Figures.seconds(stage.getWallTimeMs());
    };
  }

  private static String memoryFigures(StageStats stage) {
    long bytes = stage.getPeakMemoryBytes();
    if (bytes <= 0) {
      // Some kills leave no reading of the peak; the limit it hit is the next best figure.
      bytes = stage.getLimits().getMemoryBytes();
    }
    return bytes > 0 ? "memory " + Figures.bytes(bytes) : "";
  }
}
