package dev.polyrun.coordinator.internal.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.polyrun.proto.v1.AttemptAbandoned;
import dev.polyrun.proto.v1.JobEvent;
import dev.polyrun.proto.v1.JobState;
import dev.polyrun.proto.v1.Result;
import dev.polyrun.proto.v1.StateChange;
import dev.polyrun.proto.v1.Verdict;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class FinalAttemptFilterTest {

  private static JobEvent state(JobState state, int attempt) {
    return JobEvent.newBuilder()
        .setAttempt(attempt)
        .setState(StateChange.newBuilder().setState(state).setAttempt(attempt))
        .build();
  }

  private static JobEvent stdout(String text, int attempt) {
    return JobEvent.newBuilder()
        .setAttempt(attempt)
        .setStdout(ByteString.copyFromUtf8(text))
        .build();
  }

  private static JobEvent abandoned(int abandoned, int next) {
    return JobEvent.newBuilder()
        .setAttempt(next)
        .setAttemptAbandoned(
            AttemptAbandoned.newBuilder()
                .setAbandonedAttempt(abandoned)
                .setNewAttempt(next)
                .setReason("lease expired"))
        .build();
  }

  private static JobEvent result(int attempt) {
    return JobEvent.newBuilder()
        .setAttempt(attempt)
        .setResult(Result.newBuilder().setVerdict(Verdict.VERDICT_OK).setAttempt(attempt))
        .build();
  }

  /** A job whose first worker died after 'begin', run again to its end. */
  private static final List<JobEvent> RERUN =
      List.of(
          state(JobState.JOB_STATE_QUEUED, 0),
          state(JobState.JOB_STATE_RUNNING, 1),
          stdout("begin\n", 1),
          abandoned(1, 2),
          state(JobState.JOB_STATE_RUNNING, 2),
          stdout("begin\n", 2),
          stdout("end\n", 2),
          result(2));

  private static String stdoutOf(List<JobEvent> events) {
    return events.stream()
        .filter(JobEvent::hasStdout)
        .map(e -> e.getStdout().toStringUtf8())
        .collect(Collectors.joining());
  }

  /**
   * The filter of a stream from {@code after} on a job in {@code state} whose last attempt is
   * {@code attempt}.
   */
  private static FinalAttemptFilter filter(String after, JobState state, int attempt) {
    boolean fin = state == JobState.JOB_STATE_DONE || state == JobState.JOB_STATE_CANCELLED;
    return FinalAttemptFilter.forStream(after, fin, attempt);
  }

  @Test
  void aReplayOfAFinishedJobShowsItsFinalAttemptAlone() {
    List<JobEvent> shown = filter("", JobState.JOB_STATE_DONE, 2).apply(RERUN);

    assertThat(stdoutOf(shown)).isEqualTo("begin\nend\n");
    assertThat(shown)
        .containsExactly(RERUN.get(0), RERUN.get(4), RERUN.get(5), RERUN.get(6), RERUN.get(7));
  }

  @Test
  void theFinalAttemptIsReadFromTheEventsAsFromTheRecord() {
    assertThat(FinalAttemptFilter.of(RERUN).apply(RERUN))
        .isEqualTo(filter("", JobState.JOB_STATE_DONE, 2).apply(RERUN));
  }

  @Test
  void aLiveStreamAndAResumedOneKeepEveryEventMarkersIncluded() {
    assertThat(filter("", JobState.JOB_STATE_RUNNING, 2).apply(RERUN)).isEqualTo(RERUN);
    assertThat(filter("1-0", JobState.JOB_STATE_DONE, 2).apply(RERUN)).isEqualTo(RERUN);
  }

  @Test
  void aJobRunOnceIsReplayedWhole() {
    List<JobEvent> once =
        List.of(
            state(JobState.JOB_STATE_QUEUED, 0),
            state(JobState.JOB_STATE_RUNNING, 1),
            stdout("begin\n", 1),
            stdout("end\n", 1),
            result(1));

    assertThat(filter("", JobState.JOB_STATE_DONE, 1).apply(once)).isEqualTo(once);
  }

  @Test
  void aJobCancelledWhileWaitingToRunAgainKeepsNoneOfTheAbandonedOutput() {
    JobEvent cancelled =
        JobEvent.newBuilder()
            .setResult(Result.newBuilder().setVerdict(Verdict.VERDICT_CANCELLED))
            .build();
    List<JobEvent> events =
        List.of(
            state(JobState.JOB_STATE_QUEUED, 0),
            state(JobState.JOB_STATE_RUNNING, 1),
            stdout("begin\n", 1),
            abandoned(1, 2),
            cancelled);

    List<JobEvent> shown = filter("", JobState.JOB_STATE_CANCELLED, 2).apply(events);

    assertThat(shown).containsExactly(events.get(0), cancelled);
  }
}
