package dev.polyrun.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.polyrun.proto.v1.ExecuteRequest;
import dev.polyrun.proto.v1.Result;
import dev.polyrun.proto.v1.TestCase;
import dev.polyrun.proto.v1.Verdict;
import org.junit.jupiter.api.Test;

/** With test cases, exit code 0 means every case was judged and passed. */
class RunExitCodeTest {
  private static final ExecuteRequest TWO_CASES =
      ExecuteRequest.newBuilder()
          .addTestCases(TestCase.getDefaultInstance())
          .addTestCases(TestCase.getDefaultInstance())
          .build();

  @Test
  void acceptedWithEveryCasePassedExitsZero() {
    Result accepted =
        Result.newBuilder().setVerdict(Verdict.VERDICT_ACCEPTED).setTestCasesPassed(2).build();

    assertThat(RunCommand.exitCode(accepted, TWO_CASES)).isEqualTo(ExitCodes.OK);
  }

  @Test
  void anUnjudgedOkIsNeverAPass() {
    Result ok = Result.newBuilder().setVerdict(Verdict.VERDICT_OK).build();

    assertThat(RunCommand.exitCode(ok, TWO_CASES)).isEqualTo(ExitCodes.INTERNAL_ERROR);
    assertThat(RunCommand.exitCode(ok, ExecuteRequest.getDefaultInstance()))
        .isEqualTo(ExitCodes.OK);
  }

  @Test
  void aWrongAnswerExitsWithItsCode() {
    Result wrong =
        Result.newBuilder().setVerdict(Verdict.VERDICT_WRONG_ANSWER).setTestCasesPassed(1).build();

    assertThat(RunCommand.exitCode(wrong, TWO_CASES)).isEqualTo(ExitCodes.WRONG_ANSWER);
  }
}
