package dev.polyrun.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.polyrun.proto.v1.Comparator;
import dev.polyrun.proto.v1.ExecuteRequest;
import dev.polyrun.proto.v1.JobEvent;
import dev.polyrun.proto.v1.Result;
import dev.polyrun.proto.v1.SourceFile;
import dev.polyrun.proto.v1.TestCase;
import dev.polyrun.proto.v1.TestCaseResult;
import dev.polyrun.proto.v1.Verdict;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Judging with test cases through the contract: the coordinator accepts them, the worker judges.
 */
class JudgeIT {
  private static final String ADD =
      "a, b = map(float, input().split())\nr = a + b\nprint(int(r) if r == int(r) else r)\n";
  @RegisterExtension static final ClusterExtension cluster = ClusterExtension.standard();

  private static TestCase test(String name, String stdin, String expected) {
    return TestCase.newBuilder()
        .setName(name)
        .setStdin(ByteString.copyFromUtf8(stdin))
        .setExpectedStdout(ByteString.copyFromUtf8(expected))
        .build();
  }

  private static List<JobEvent> judge(String source, TestCase... cases) {
    ExecuteRequest request =
        ExecuteRequest.newBuilder()
            .setLanguage("python")
            .addFiles(SourceFile.newBuilder().setContent(ByteString.copyFromUtf8(source)))
            .addAllTestCases(List.of(cases))
            .build();
    List<JobEvent> events = new ArrayList<>();
    cluster.blocking().execute(request).forEachRemaining(events::add);
    return events;
  }

  private static Result result(List<JobEvent> events) {
    return events.get(events.size() - 1).getResult();
  }

  @Test
  void everyCasePassingIsAcceptedWithAResultPerCaseStreamedAsItEnds() {
    List<JobEvent> events = judge(ADD, test("01", "1 2\n", "3\n"), test("02", "20 22\n", "42\n"));

    Result result = result(events);
    assertThat(result.getVerdict()).isEqualTo(Verdict.VERDICT_ACCEPTED);
    assertThat(result.getTestCasesPassed()).isEqualTo(2);
    assertThat(result.getTestCasesList())
        .extracting(TestCaseResult::getName)
        .containsExactly("01", "02");
    assertThat(events.stream().filter(JobEvent::hasTestCase).map(e -> e.getTestCase().getName()))
        .containsExactly("01", "02");
  }

  @Test
  void aMismatchIsAWrongAnswerNamingTheFailingCase() {
    Result result = result(judge(ADD, test("01", "1 2\n", "3\n"), test("02", "2 2\n", "5\n")));

    assertThat(result.getVerdict()).isEqualTo(Verdict.VERDICT_WRONG_ANSWER);
    assertThat(result.getTestCasesPassed()).isEqualTo(1);
    assertThat(result.getTestCasesList())
        .extracting(TestCaseResult::getVerdict)
        .containsExactly(Verdict.VERDICT_ACCEPTED, Verdict.VERDICT_WRONG_ANSWER);
  }

  @Test
  void numbersWithinTheToleranceAndTrailingWhitespaceCanBeAccepted() {
    TestCase close =
        test("float", "0.1 0.2\n", "0.3\n").toBuilder()
            .setComparator(Comparator.COMPARATOR_NUMBERS)
            .setTolerance(1e-6)
            .build();
    TestCase spaces =
        test("spaces", "1 1\n", "2   \n\n").toBuilder()
            .setComparator(Comparator.COMPARATOR_IGNORE_TRAILING_WHITESPACE)
            .build();

    assertThat(result(judge(ADD, close, spaces)).getVerdict()).isEqualTo(Verdict.VERDICT_ACCEPTED);
  }
}
