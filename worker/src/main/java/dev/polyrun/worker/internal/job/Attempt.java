package dev.polyrun.worker.internal.job;

import com.google.protobuf.ByteString;
import dev.polyrun.proto.v1.JobEvent;
import dev.polyrun.proto.v1.JobState;
import dev.polyrun.proto.v1.StateChange;
import dev.polyrun.proto.v1.TestCaseResult;
import dev.polyrun.queue.Delivery;
import dev.polyrun.queue.QueueUnavailableException;
import dev.polyrun.queue.WorkQueue;
import dev.polyrun.sandbox.OutputListener;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * One delivery attempt's fenced event publishing; also the run stage's output listener. Events are
 * numbered 1, 2, ... and written one at a time in that order (stdout and stderr arrive on two
 * threads), so a write retried after a lost reply is recognized by its number and never lands
 * twice. Thread-safe.
 */
final class Attempt implements OutputListener {
  /** How long a write to Redis is retried while Redis is unreachable. */
  static final Duration RETRY_WINDOW = Duration.ofSeconds(20);

  private final WorkQueue queue;
  private final Delivery delivery;
  private final BooleanSupplier leaseLost;
  private final AtomicBoolean fenced = new AtomicBoolean();
  private final AtomicBoolean cancelled = new AtomicBoolean();
  private long seq;
  private final java.util.List<dev.polyrun.sandbox.StageResult> stages =
      java.util.Collections.synchronizedList(new java.util.ArrayList<>());
  private volatile dev.polyrun.sandbox.WorkDir workDir;

  Attempt(WorkQueue queue, Delivery delivery, BooleanSupplier leaseLost) {
    this.queue = queue;
    this.delivery = delivery;
    this.leaseLost = leaseLost;
  }

  Delivery delivery() {
    return delivery;
  }

  /** Records a stage this attempt ran, for the result's timeline and cpu. */
  dev.polyrun.sandbox.StageResult stageEnded(dev.polyrun.sandbox.StageResult stage) {
    stages.add(stage);
    return stage;
  }

  /** The stages this attempt ran, in order. */
  java.util.List<dev.polyrun.sandbox.StageResult> stages() {
    synchronized (stages) {
      return java.util.List.copyOf(stages);
    }
  }

  /** Holds the attempt's work directory until {@link #closeWorkDir}: after the result is stored. */
  dev.polyrun.sandbox.WorkDir hold(dev.polyrun.sandbox.WorkDir dir) {
    this.workDir = dir;
    return dir;
  }

  /** Removes the work directory, if one was made. Idempotent. */
  void closeWorkDir() {
    dev.polyrun.sandbox.WorkDir dir = workDir;
    workDir = null;
    if (dir != null) {
      try {
        dir.close();
      } catch (Exception e) {
        // left for the sweep of the next start
      }
    }
  }

  /** Whether another attempt holds the job now (or it ended otherwise): nothing more is written. */
  boolean lost() {
    return fenced.get() || leaseLost.getAsBoolean();
  }

  void state(JobState state) {
    publish(
        JobEvent.newBuilder()
            .setState(StateChange.newBuilder().setState(state).setAttempt(delivery.attempt()))
            .build(),
        state);
  }

  @Override
  public void stdout(byte[] chunk) {
    publish(JobEvent.newBuilder().setStdout(ByteString.copyFrom(chunk)).build(), null);
  }

  @Override
  public void stderr(byte[] chunk) {
    publish(JobEvent.newBuilder().setStderr(ByteString.copyFrom(chunk)).build(), null);
  }

  void testCase(TestCaseResult result) {
    publish(JobEvent.newBuilder().setTestCase(result).build(), null);
  }

  /** The number of the attempt's next event: the final result takes it after every other event. */
  synchronized long nextSeq() {
    return ++seq;
  }

  private synchronized void publish(JobEvent event, JobState state) {
    if (lost()) {
      return;
    }
    long n = ++seq;
    boolean written =
        Retry.withBackoff(() -> queue.publish(delivery, n, event, state), RETRY_WINDOW)
            .orElse(false);
    if (!written) {
      fenced.set(true);
    }
  }

  /** Stops the stage when the job was cancelled or this attempt lost the job. */
  boolean shouldStop() {
    if (lost()) {
      return true;
    }
    try {
      if (!cancelled.get() && queue.cancelRequested(delivery.jobId())) {
        cancelled.set(true);
      }
    } catch (QueueUnavailableException e) {
      // checked again at the next poll
    }
    return cancelled.get();
  }
}
