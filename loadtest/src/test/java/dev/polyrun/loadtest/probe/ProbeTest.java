package dev.polyrun.loadtest.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.polyrun.loadtest.Program;
import dev.polyrun.loadtest.internal.Outcome;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How a canary's call becomes an outcome and a reason. */
class ProbeTest {
  private static final Program HELLO =
      Program.of(
          "python-hello",
          "python",
          ByteString.copyFromUtf8("print(1)"),
          ByteString.copyFromUtf8("1\n"));

  private static Outcome outcome(String verdict, String error, String detail) {
    return new Outcome(
        "python-hello", 0, 0, 250_000_000L, "job-1", verdict, error, detail, 1, -1, Map.of());
  }

  @Test
  void aRunWithTheExpectedResultIsOkWithoutAReason() {
    Probe.Run run = Probe.run(HELLO, outcome("VERDICT_OK", null, null));

    assertThat(run)
        .extracting(Probe.Run::canary, Probe.Run::language, Probe.Run::outcome, Probe.Run::reason)
        .containsExactly("python-hello", "python", "ok", "");
    assertThat(run.ok()).isTrue();
    assertThat(run.latencyMs()).isEqualTo(250.0);
  }

  @Test
  void aWrongResultSaysWhetherTheVerdictTheOutputOrTheTestCasesDiffered() {
    assertThat(
            Probe.run(
                HELLO,
                outcome(
                    "VERDICT_RUNTIME_ERROR",
                    "WRONG_RESULT",
                    "verdict VERDICT_RUNTIME_ERROR (expected: VERDICT_OK)")))
        .extracting(Probe.Run::outcome, Probe.Run::reason)
        .containsExactly("wrong_output", "verdict");
    assertThat(
            Probe.run(
                HELLO, outcome("VERDICT_OK", "WRONG_RESULT", "stdout '2\\n' (expected: '1\\n')")))
        .extracting(Probe.Run::outcome, Probe.Run::reason)
        .containsExactly("wrong_output", "output");
    assertThat(
            Probe.run(
                HELLO,
                outcome("VERDICT_WRONG_ANSWER", "WRONG_RESULT", "passed 9 of 10 test cases")))
        .extracting(Probe.Run::outcome, Probe.Run::reason)
        .containsExactly("wrong_output", "test_cases");
  }

  @Test
  void aPassedDeadlineIsATimeoutAndAnyOtherFailedCallAnErrorNamedByItsStatus() {
    assertThat(Probe.run(HELLO, outcome(null, "DEADLINE_EXCEEDED", "deadline exceeded after 60s")))
        .extracting(Probe.Run::outcome, Probe.Run::reason)
        .containsExactly("timeout", "deadline_exceeded");
    Probe.Run refused = Probe.run(HELLO, outcome(null, "RESOURCE_EXHAUSTED", "queue full"));
    assertThat(refused)
        .extracting(Probe.Run::outcome, Probe.Run::reason)
        .containsExactly("error", "resource_exhausted");
    assertThat(refused.ok()).isFalse();
    assertThat(Probe.run(HELLO, outcome(null, "CLIENT_ERROR", "java.lang.IllegalStateException")))
        .extracting(Probe.Run::outcome, Probe.Run::reason)
        .containsExactly("error", "client_error");
  }

  @Test
  void aRunRefusesAnOutcomeOutsideTheContract() {
    assertThatThrownBy(() -> new Probe.Run("c", "python", "success", "", 1, "", null))
        .hasMessageContaining("outcome 'success' (expected: ok, wrong_output, timeout or error)");
    assertThatThrownBy(() -> new Probe.Run("c", "python", "error", "", 1, "", null))
        .hasMessageContaining("expected: a reason exactly when the outcome is not ok");
  }
}
