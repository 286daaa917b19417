package dev.polyrun.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.polyrun.client.ExecutionListener;
import dev.polyrun.client.PolyrunException;
import dev.polyrun.client.PolyrunRequestException;
import dev.polyrun.client.PolyrunUnavailableException;
import dev.polyrun.proto.v1.JobEvent;
import dev.polyrun.proto.v1.JobState;
import dev.polyrun.proto.v1.Result;
import dev.polyrun.proto.v1.StateChange;
import dev.polyrun.proto.v1.Verdict;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The order of events and resumes; streams are plain iterators, as the blocking stub gives. */
class EventPumpTest {
  private final List<String> seen = new ArrayList<>();
  private final List<String> resumedAfter = new ArrayList<>();
  private final List<Duration> sleeps = new ArrayList<>();
  private final Deque<Iterator<JobEvent>> resumedStreams = new ArrayDeque<>();

  private final ExecutionListener recorder =
      new ExecutionListener() {
        @Override
        public void onJobId(String jobId) {
          seen.add("job " + jobId);
        }

        @Override
        public void onState(JobState state, int attempt) {
          seen.add("state " + state + " " + attempt);
        }

        @Override
        public void onStdout(ByteString chunk) {
          seen.add("out " + chunk.toStringUtf8());
        }

        @Override
        public void onStderr(ByteString chunk) {
          seen.add("err " + chunk.toStringUtf8());
        }

        @Override
        public void onAttemptAbandoned(int abandonedAttempt, int newAttempt, String reason) {
          seen.add("abandoned " + abandonedAttempt + " -> " + newAttempt + ": " + reason);
        }

        @Override
        public void onCursor(String cursor) {
          seen.add("cursor " + cursor);
        }
      };

  private EventPump pump(String jobId, String afterCursor, int maxResumes) {
    return new EventPump(
        recorder,
        (id, after) -> {
          resumedAfter.add(id + "@" + after);
          return resumedStreams.removeFirst();
        },
        jobId,
        afterCursor,
        maxResumes,
        Duration.ofMillis(100),
        sleeps::add);
  }

  private static JobEvent out(int cursor, String text) {
    return base(cursor).setStdout(ByteString.copyFromUtf8(text)).build();
  }

  private static JobEvent result(int cursor, Verdict verdict) {
    return base(cursor).setResult(Result.newBuilder().setVerdict(verdict)).build();
  }

  private static JobEvent.Builder base(int cursor) {
    return JobEvent.newBuilder().setJobId("j").setCursor("c" + cursor);
  }

  /** The events, then (when failure is not null) the failure instead of the end of the stream. */
  private static Iterator<JobEvent> stream(RuntimeException failure, JobEvent... events) {
    Iterator<JobEvent> it = List.of(events).iterator();
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        if (!it.hasNext() && failure != null) {
          throw failure;
        }
        return it.hasNext();
      }

      @Override
      public JobEvent next() {
        return it.next();
      }
    };
  }

  private static StatusRuntimeException lost() {
    return Status.UNAVAILABLE.withDescription("connection lost").asRuntimeException();
  }

  @Test
  void eventsReachTheListenerInOrderAndTheResultIsReturned() {
    JobEvent state =
        base(1)
            .setState(StateChange.newBuilder().setState(JobState.JOB_STATE_RUNNING).setAttempt(1))
            .build();
    JobEvent err = base(3).setStderr(ByteString.copyFromUtf8("e")).build();

    Result result =
        pump(null, null, 3)
            .run(() -> stream(null, state, out(2, "o"), err, result(4, Verdict.VERDICT_OK)));

    assertThat(result.getVerdict()).isEqualTo(Verdict.VERDICT_OK);
    assertThat(seen)
        .containsExactly(
            "job j",
            "state JOB_STATE_RUNNING 1",
            "cursor c1",
            "out o",
            "cursor c2",
            "err e",
            "cursor c3",
            "cursor c4");
  }

  @Test
  void anAbandonedAttemptIsAnnouncedBetweenItsOutputAndTheRerunsOutput() {
    JobEvent abandoned =
        base(2)
            .setAttempt(2)
            .setAttemptAbandoned(
                dev.polyrun.proto.v1.AttemptAbandoned.newBuilder()
                    .setAbandonedAttempt(1)
                    .setNewAttempt(2)
                    .setReason("lease expired"))
            .build();

    pump("j", null, 3)
        .run(
            () ->
                stream(
                    null,
                    out(1, "begin"),
                    abandoned,
                    out(3, "begin"),
                    result(4, Verdict.VERDICT_OK)));

    assertThat(seen)
        .containsExactly(
            "out begin",
            "cursor c1",
            "abandoned 1 -> 2: lease expired",
            "cursor c2",
            "out begin",
            "cursor c3",
            "cursor c4");
  }

  @Test
  void lostStreamResumesAfterTheLastDeliveredCursor() {
    resumedStreams.add(stream(null, out(3, "c"), result(4, Verdict.VERDICT_OK)));

    Result result = pump(null, null, 3).run(() -> stream(lost(), out(1, "a"), out(2, "b")));

    assertThat(result.getVerdict()).isEqualTo(Verdict.VERDICT_OK);
    assertThat(resumedAfter).containsExactly("j@c2");
    assertThat(seen)
        .filteredOn(s -> s.startsWith("out"))
        .containsExactly("out a", "out b", "out c");
    assertThat(sleeps).containsExactly(Duration.ofMillis(100));
  }

  @Test
  void streamThatEndsBeforeTheResultIsResumed() {
    resumedStreams.add(stream(null, result(2, Verdict.VERDICT_RUNTIME_ERROR)));

    Result result = pump(null, null, 3).run(() -> stream(null, out(1, "a")));

    assertThat(result.getVerdict()).isEqualTo(Verdict.VERDICT_RUNTIME_ERROR);
    assertThat(resumedAfter).containsExactly("j@c1");
  }

  @Test
  void streamLostBeforeTheJobIdIsKnownCannotBeResumed() {
    assertThatThrownBy(() -> pump(null, null, 3).run(() -> stream(lost())))
        .isInstanceOf(PolyrunUnavailableException.class)
        .hasMessage("UNAVAILABLE: connection lost");
    assertThat(resumedAfter).isEmpty();
  }

  @Test
  void refusalIsNotResumed() {
    StatusRuntimeException notFound =
        Status.NOT_FOUND.withDescription("no job j").asRuntimeException();

    assertThatThrownBy(() -> pump("j", "c9", 3).run(() -> stream(notFound)))
        .isInstanceOf(PolyrunRequestException.class)
        .hasMessage("NOT_FOUND: no job j");
    assertThat(resumedAfter).isEmpty();
  }

  @Test
  void resumesBackOffAndGiveUpAfterTheLimitWithTheJobAndCursor() {
    resumedStreams.add(stream(lost()));
    resumedStreams.add(stream(lost()));

    assertThatThrownBy(() -> pump(null, null, 2).run(() -> stream(lost(), out(1, "a"))))
        .isInstanceOfSatisfying(
            PolyrunException.class,
            e -> {
              assertThat(e.jobId()).contains("j");
              assertThat(e.lastCursor()).contains("c1");
            });
    assertThat(resumedAfter).containsExactly("j@c1", "j@c1");
    assertThat(sleeps).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
  }

  @Test
  void progressAfterAResumeRestartsTheCount() {
    resumedStreams.add(stream(lost(), out(2, "b")));
    resumedStreams.add(stream(null, result(3, Verdict.VERDICT_OK)));

    Result result = pump(null, null, 1).run(() -> stream(lost(), out(1, "a")));

    assertThat(result.getVerdict()).isEqualTo(Verdict.VERDICT_OK);
    assertThat(resumedAfter).containsExactly("j@c1", "j@c2");
  }

  @Test
  void knownJobResumesFromTheGivenCursorEvenWithoutNewEvents() {
    resumedStreams.add(stream(null, result(8, Verdict.VERDICT_OK)));

    Result result = pump("j", "c7", 3).run(() -> stream(lost()));

    assertThat(result.getVerdict()).isEqualTo(Verdict.VERDICT_OK);
    assertThat(resumedAfter).containsExactly("j@c7");
    assertThat(seen).doesNotContain("job j");
  }

  @Test
  void listenerFailureEndsTheCallWithoutResuming() {
    ExecutionListener failing =
        new ExecutionListener() {
          @Override
          public void onStdout(ByteString chunk) {
            throw new IllegalStateException("disk full");
          }
        };
    EventPump pump =
        new EventPump(
            failing, (id, after) -> stream(null), null, null, 3, Duration.ofMillis(1), d -> {});

    assertThatThrownBy(() -> pump.run(() -> stream(null, out(1, "a"))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("disk full");
  }
}
