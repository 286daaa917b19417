package dev.polyrun.loadtest.internal;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import dev.polyrun.client.ExecutionListener;
import dev.polyrun.client.PolyrunClient;
import dev.polyrun.client.PolyrunException;
import dev.polyrun.loadtest.Program;
import dev.polyrun.proto.v1.JobState;
import dev.polyrun.proto.v1.Result;
import dev.polyrun.proto.v1.Timeline;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * Runs one program through {@code Execute} and records what happened as an {@link Outcome}: event
 * arrival times, the result's timeline, the verdict checked against the program's expectation.
 * Never throws for a failed call: the failure is the outcome. Thread-safe (state is per call).
 */
public final class Caller {
  private final PolyrunClient client;

  public Caller(PolyrunClient client) {
    this.client = client;
  }

  /** Sends the program now, measuring latency from {@code intendedNanos}. */
  public Outcome call(Program program, long intendedNanos) {
    Listener listener = new Listener();
    long sent = System.nanoTime();
    listener.sentNanos = sent;
    Instant sentAt = Instant.now();
    try {
      Result result = client.execute(program.request(), listener);
      long end = System.nanoTime();
      Map<Phase, Double> phases = listener.phases;
      phases.put(Phase.RESULT, (end - sent) / 1e6);
      addTimeline(phases, result.getTimeline(), sentAt);
      Optional<String> wrong = program.check(result, listener.stdout());
      return new Outcome(
          program.name(),
          intendedNanos,
          sent,
          end,
          listener.jobId,
          result.getVerdict().name(),
          wrong.isPresent() ? "WRONG_RESULT" : null,
          wrong.orElse(null),
          result.getAttempt(),
          result.getWorkerCpuMs() > 0 ? result.getWorkerCpuMs() : -1,
          phases);
    } catch (PolyrunException e) {
      String jobId = listener.jobId != null ? listener.jobId : e.jobId().orElse(null);
      return failed(program, intendedNanos, sent, jobId, e.code().name(), e.getMessage(), listener);
    } catch (RuntimeException e) {
      return failed(
          program, intendedNanos, sent, listener.jobId, "CLIENT_ERROR", e.toString(), listener);
    }
  }

  private static Outcome failed(
      Program program,
      long intended,
      long sent,
      String jobId,
      String code,
      String detail,
      Listener listener) {
    return new Outcome(
        program.name(),
        intended,
        sent,
        System.nanoTime(),
        jobId,
        null,
        code,
        detail,
        0,
        -1,
        listener.phases);
  }

  /** Server moments as milliseconds after the client sent the request (same clock on one host). */
  static void addTimeline(Map<Phase, Double> phases, Timeline t, Instant sentAt) {
    put(phases, Phase.QUEUED, t.hasQueuedAt(), t.getQueuedAt(), sentAt);
    put(phases, Phase.CLAIMED, t.hasClaimedAt(), t.getClaimedAt(), sentAt);
    put(phases, Phase.CONTAINER_READY, t.hasContainerReadyAt(), t.getContainerReadyAt(), sentAt);
    put(phases, Phase.STARTED, t.hasStartedAt(), t.getStartedAt(), sentAt);
    put(phases, Phase.EXITED, t.hasExitedAt(), t.getExitedAt(), sentAt);
    put(phases, Phase.STORED, t.hasStoredAt(), t.getStoredAt(), sentAt);
  }

  private static void put(
      Map<Phase, Double> phases, Phase phase, boolean present, Timestamp ts, Instant sentAt) {
    if (present) {
      double ms =
          (ts.getSeconds() - sentAt.getEpochSecond()) * 1e3
              + (ts.getNanos() - sentAt.getNano()) / 1e6;
      phases.put(phase, ms);
    }
  }

  /** Arrival times of the events and the final attempt's output. */
  private static final class Listener implements ExecutionListener {
    final Map<Phase, Double> phases = new EnumMap<>(Phase.class);
    long sentNanos;
    String jobId;
    private int attempt;
    private ByteString.Output stdout = ByteString.newOutput();

    @Override
    public void onJobId(String id) {
      jobId = id;
      mark(Phase.FIRST_EVENT);
    }

    @Override
    public void onState(JobState state, int stateAttempt) {
      mark(Phase.FIRST_EVENT);
      if (stateAttempt > attempt) {
        // A re-run after an abandoned attempt prints everything again: keep only the last
        // attempt's.
        if (attempt > 0) {
          stdout = ByteString.newOutput();
        }
        attempt = stateAttempt;
      }
      if (state == JobState.JOB_STATE_COMPILING || state == JobState.JOB_STATE_RUNNING) {
        mark(Phase.STARTED_EVENT);
      }
    }

    @Override
    public void onStdout(ByteString chunk) {
      mark(Phase.FIRST_OUTPUT);
      byte[] bytes = chunk.toByteArray();
      stdout.write(bytes, 0, bytes.length);
    }

    ByteString stdout() {
      return stdout.toByteString();
    }

    private void mark(Phase phase) {
      phases.putIfAbsent(phase, (System.nanoTime() - sentNanos) / 1e6);
    }
  }
}
