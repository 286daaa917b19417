package dev.polyrun.worker.internal.job;

import dev.polyrun.config.StageLimits;
import dev.polyrun.proto.v1.Result;
import dev.polyrun.proto.v1.SubmitRequest;
import dev.polyrun.proto.v1.TestCase;
import dev.polyrun.proto.v1.TestCaseResult;
import dev.polyrun.proto.v1.Verdict;
import dev.polyrun.sandbox.StageResult;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Runs a compiled program once per test case, each in a fresh container, and judges each output.
 * The expected output never enters the sandbox: it is compared here, after the run.
 */
final class Judge {
  /** Runs one case's program with its stdin; the output is captured, not streamed. */
  interface CaseRunner {
    StageResult run(String caseName, byte[] stdin, CapturedOutput output)
        throws InterruptedException;
  }

  private Judge() {}

  /**
   * Judges every case (or up to the first failure when the request asks so), reporting each result
   * as it is known, and fills the result's verdict, message and case list.
   */
  static void judge(
      SubmitRequest request,
      StageLimits limits,
      CaseRunner runner,
      Consumer<TestCaseResult> onCase,
      Result.Builder result)
      throws InterruptedException {
    int passed = 0;
    TestCaseResult firstFailure = null;
    for (int i = 0; i < request.getTestCasesCount(); i++) {
      TestCase tc = request.getTestCases(i);
      String name = tc.getName().isEmpty() ? Integer.toString(i + 1) : tc.getName();
      CapturedOutput output = new CapturedOutput(true);
      StageResult ran = runner.run(name, tc.getStdin().toByteArray(), output);
      Verdict verdict = caseVerdict(tc, ran, output.stdout());
      TestCaseResult caseResult =
          TestCaseResult.newBuilder()
              .setName(name)
              .setVerdict(verdict)
              .setStats(Verdicts.stats(ran, limits).toBuilder().setVerdict(verdict))
              .build();
      result.addTestCases(caseResult);
      onCase.accept(caseResult);
      if (verdict == Verdict.VERDICT_ACCEPTED) {
        passed++;
      } else if (firstFailure == null) {
        firstFailure = caseResult;
        if (request.getStopOnFirstFailure()
            || verdict == Verdict.VERDICT_INTERNAL_ERROR
            || verdict == Verdict.VERDICT_CANCELLED) {
          break;
        }
      }
    }
    result.setTestCasesPassed(passed);
    if (firstFailure == null) {
      result
          .setVerdict(Verdict.VERDICT_ACCEPTED)
          .setMessage(
              String.format(
                  Locale.ROOT, "%d/%d test cases passed", passed, request.getTestCasesCount()));
    } else {
      result
          .setVerdict(firstFailure.getVerdict())
          .setMessage(
              String.format(
                  Locale.ROOT,
                  "%d/%d test cases passed; first failure: case %s %s",
                  passed,
                  request.getTestCasesCount(),
                  firstFailure.getName(),
                  firstFailure.getVerdict().name().replaceFirst("^VERDICT_", "")));
    }
  }

  static Verdict caseVerdict(TestCase tc, StageResult ran, byte[] stdout) {
    Verdict run = Verdicts.verdict(ran);
    if (run != Verdict.VERDICT_OK) {
      return run;
    }
    boolean same =
        Comparators.matches(
            tc.getComparator(), stdout, tc.getExpectedStdout().toByteArray(), tc.getTolerance());
    return same ? Verdict.VERDICT_ACCEPTED : Verdict.VERDICT_WRONG_ANSWER;
  }
}
