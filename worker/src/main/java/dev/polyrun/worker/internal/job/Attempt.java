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

  Attempt(WorkQueue queue, Delivery delivery, BooleanSupplier leaseLost) {
    this.queue = queue;
    this.delivery = delivery;
    this.leaseLost = leaseLost;
  }

  Delivery delivery() {
    return delivery;
  }

  /** Whether another attempt holds the job now (or it ended otherwise): nothing more is written. */
  boolean lost() {
    return fenced.get() || leaseLost.getAsBoolean();
  }

  void state(JobState state) {
    publish(JobEvent.newBuilder()
        .setState(StateChange.newBuilder().setState(state).setAttempt(delivery.attempt())).build(), state);
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
    boolean written = Retry.withBackoff(() -> queue.publish(delivery, n, event, state), RETRY_WINDOW).orElse(false);
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
