package dev.polyrun.worker.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.polyrun.proto.v1.Comparator;
import dev.polyrun.proto.v1.JobEvent;
import dev.polyrun.proto.v1.Limits;
import dev.polyrun.proto.v1.SubmitRequest;
import dev.polyrun.proto.v1.TestCase;
import dev.polyrun.proto.v1.TestCaseResult;
import dev.polyrun.proto.v1.Verdict;
import dev.polyrun.worker.it.WorkerHarness.Outcome;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Programs judged against test cases: compiled once, one fresh container per case. */
class JudgeIT {
  private static WorkerHarness harness;

  @BeforeAll
  static void start() throws Exception {
    harness = new WorkerHarness();
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  private static TestCase tc(String name, String in, String out) {
    return TestCase.newBuilder()
        .setName(name)
        .setStdin(ByteString.copyFromUtf8(in))
        .setExpectedStdout(ByteString.copyFromUtf8(out))
        .build();
  }

  private static final String SUM_C =
      "#include <stdio.h>\nint main(void){long a,b;scanf(\"%ld %ld\",&a,&b);"
          + "if(a==7)for(;;);printf(\"%ld\\n\",a+b);return 0;}\n";

  private static SubmitRequest sum(TestCase... cases) {
    return WorkerHarness.program("c", SUM_C).toBuilder()
        .addAllTestCases(List.of(cases))
        .setRunLimits(Limits.newBuilder().setCpuTimeMs(1000).setWallTimeMs(2000))
        .build();
  }

  private static List<TestCaseResult> streamed(Outcome o) {
    return o.events().stream().filter(JobEvent::hasTestCase).map(JobEvent::getTestCase).toList();
  }

  @Test
  void aProgramThatPassesEveryCaseIsAccepted() throws Exception {
    Outcome o =
        harness.run(
            sum(tc("small", "1 2", "3\n"), tc("big", "1000000000 1000000000", "2000000000\n")));

    assertThat(o.result().getVerdict()).isEqualTo(Verdict.VERDICT_ACCEPTED);
    assertThat(o.result().getTestCasesPassed()).isEqualTo(2);
    assertThat(o.result().getCompile().getExitCode()).isZero();
    assertThat(streamed(o)).extracting(TestCaseResult::getName).containsExactly("small", "big");
    assertThat(streamed(o)).allSatisfy(c -> assertThat(c.getStats().getWallTimeMs()).isPositive());
  }

  @Test
  void oneWrongCaseIsAWrongAnswerNamingIt() throws Exception {
    Outcome o =
        harness.run(sum(tc("1", "1 2", "3\n"), tc("2", "2 2", "5\n"), tc("3", "3 3", "6\n")));

    assertThat(o.result().getVerdict()).isEqualTo(Verdict.VERDICT_WRONG_ANSWER);
    assertThat(o.result().getTestCasesPassed()).isEqualTo(2);
    assertThat(o.result().getTestCasesList())
        .extracting(TestCaseResult::getVerdict)
        .containsExactly(
            Verdict.VERDICT_ACCEPTED, Verdict.VERDICT_WRONG_ANSWER, Verdict.VERDICT_ACCEPTED);
    assertThat(o.result().getMessage())
        .isEqualTo("2/3 test cases passed; first failure: case 2 WRONG_ANSWER");
  }

  @Test
  void aCaseOverItsLimitGetsThatVerdictAndStopOnFirstFailureSkipsTheRest() throws Exception {
    Outcome o =
        harness.run(
            sum(tc("ok", "1 1", "2\n"), tc("spin", "7 0", "7\n"), tc("never", "2 2", "4\n"))
                .toBuilder()
                .setStopOnFirstFailure(true)
                .build());

    assertThat(o.result().getVerdict()).isEqualTo(Verdict.VERDICT_TIME_LIMIT_EXCEEDED);
    assertThat(o.result().getTestCasesList())
        .extracting(TestCaseResult::getName)
        .containsExactly("ok", "spin");
  }

  @Test
  void comparatorsForgiveWhitespaceOrNumbersWithinTolerance() throws Exception {
    SubmitRequest r =
        WorkerHarness.program("python", "print('%.5f   ' % (3.14159265,))\nprint()").toBuilder()
            .addTestCases(
                tc("ws", "", "3.14159").toBuilder()
                    .setComparator(Comparator.COMPARATOR_IGNORE_TRAILING_WHITESPACE))
            .addTestCases(
                tc("num", "", "3.1416").toBuilder()
                    .setComparator(Comparator.COMPARATOR_NUMBERS)
                    .setTolerance(1e-4))
            .addTestCases(tc("exact", "", "3.14159\n"))
            .build();

    Outcome o = harness.run(r);

    assertThat(o.result().getTestCasesList())
        .extracting(TestCaseResult::getVerdict)
        .containsExactly(
            Verdict.VERDICT_ACCEPTED, Verdict.VERDICT_ACCEPTED, Verdict.VERDICT_WRONG_ANSWER);
  }

  @Test
  void casesCannotSeeTheExpectedOutputNorChangeWhatTheNextCaseSees() throws Exception {
    SubmitRequest r =
        WorkerHarness.program(
                "python",
                "import os, sys\n"
                    + "print(sorted(os.listdir('/work')), os.path.exists('/tmp/seen'))\n"
                    + "open('/tmp/seen', 'w').close()\n"
                    + "try:\n  open('/work/seen', 'w')\nexcept OSError:\n  sys.stderr.write('work is read-only')\n")
            .toBuilder()
            .addTestCases(tc("a", "", "['main.py'] False\n"))
            .addTestCases(tc("b", "", "['main.py'] False\n"))
            .build();

    Outcome o = harness.run(r);

    assertThat(o.result().getVerdict()).isEqualTo(Verdict.VERDICT_ACCEPTED);
  }
}
