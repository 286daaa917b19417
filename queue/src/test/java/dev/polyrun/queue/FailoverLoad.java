package dev.polyrun.queue;

import dev.polyrun.proto.v1.JobState;
import dev.polyrun.proto.v1.Result;
import dev.polyrun.proto.v1.Verdict;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load for a failover test: a submitter and two simulated workers (take, a short run, complete,
 * ack) on one queue, while the test kills a Redis master. Counts what the failover broke: jobs
 * whose Submit was acknowledged and that never ended, and jobs that ended twice (two attempts each
 * stored a result: what a client following the job would see as two results).
 */
final class FailoverLoad implements AutoCloseable {
  /** What a run measured. */
  record Counts(
      long acknowledged,
      long refused,
      long lost,
      long twoResults,
      long completions,
      long endedUnseen,
      List<String> lostJobs) {
    @Override
    public String toString() {
      return "acknowledged="
          + acknowledged
          + " refused="
          + refused
          + " lost="
          + lost
          + " twoResults="
          + twoResults
          + " completions="
          + completions
          + " endedWithTheReplyLost="
          + endedUnseen
          + (lostJobs.isEmpty() ? "" : " lostJobs=" + lostJobs);
    }
  }

  private final RedisQueue queue;
  private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
  private final Map<String, AtomicInteger> stored = new ConcurrentHashMap<>();
  private final Set<String> endedUnseen = ConcurrentHashMap.newKeySet();
  private final AtomicLong refused = new AtomicLong();
  private final AtomicBoolean submitting = new AtomicBoolean(true);
  private final AtomicBoolean working = new AtomicBoolean(true);
  private final Thread submitter;
  private final List<Thread> workers;

  FailoverLoad(RedisQueue queue) {
    this.queue = queue;
    this.submitter = Thread.ofPlatform().name("submitter").start(this::submit);
    this.workers =
        List.of(
            Thread.ofPlatform().name("worker-1").start(() -> work("w1")),
            Thread.ofPlatform().name("worker-2").start(() -> work("w2")));
  }

  private void submit() {
    int i = 0;
    while (submitting.get()) {
      try {
        SubmitOutcome outcome =
            queue.submit(Submission.of(RealRedisTest.python("print(" + i++ + ")"), "acme"));
        if (outcome instanceof SubmitOutcome.Accepted accepted) {
          acknowledged.add(accepted.jobId());
        }
        Thread.sleep(10);
      } catch (QueueUnavailableException e) {
        refused.incrementAndGet(); // not acknowledged (NotReplicatedException included)
        pause(50);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void work(String consumer) {
    while (working.get()) {
      try {
        Optional<Delivery> d = queue.take(consumer, Duration.ofMillis(200), List.of("python"));
        if (d.isEmpty()) {
          continue;
        }
        Thread.sleep(20); // the program runs
        Result ok = Result.newBuilder().setVerdict(Verdict.VERDICT_OK).build();
        if (queue.complete(d.get(), 1, ok, JobState.JOB_STATE_DONE)) {
          stored.computeIfAbsent(d.get().jobId(), id -> new AtomicInteger()).incrementAndGet();
        }
        queue.ack(d.get());
      } catch (QueueUnavailableException e) {
        pause(50);
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        pause(50); // a command cut by the failover: the lease brings the job back
      }
    }
  }

  /**
   * Stops submitting (waiting for a Submit in flight to be answered), waits up to {@code drain} for
   * every acknowledged job to end, and counts.
   */
  Counts finish(Duration drain) throws InterruptedException {
    submitting.set(false);
    // a Submit in flight (a WAIT for replicas can take its whole timeout while a restarted node
    // syncs) is acknowledged after this: the drain counts it only when the submitter has stopped
    submitter.join(drain.toMillis());
    long deadline = System.nanoTime() + drain.toNanos();
    while (System.nanoTime() < deadline && !allEnded()) {
      Thread.sleep(200);
    }
    working.set(false);
    for (Thread t : workers) {
      t.join(10_000);
      if (t.isAlive()) {
        // it could still store a result after the counts: they would not be what happened
        throw new IllegalStateException(t.getName() + " did not stop within 10 s");
      }
    }
    List<String> lost = acknowledged.stream().filter(id -> !ended(id)).map(this::describe).toList();
    long twice = stored.values().stream().filter(n -> n.get() > 1).count();
    long completions = stored.values().stream().mapToLong(AtomicInteger::get).sum();
    return new Counts(
        acknowledged.size(),
        refused.get(),
        lost.size(),
        twice,
        completions,
        endedUnseen.size(),
        lost);
  }

  /** A lost job and what its record says now, for the failure's message. */
  private String describe(String id) {
    try {
      return id
          + queue
              .getJob(id)
              .map(j -> " (" + j.getState() + ", attempt " + j.getAttempt() + ")")
              .orElse(" (no record)");
    } catch (RuntimeException e) {
      return id + " (" + e.getMessage() + ")";
    }
  }

  private boolean allEnded() {
    return acknowledged.stream().allMatch(this::ended);
  }

  /**
   * Whether the job ended: a worker saw its result stored, or the record says DONE (a result stored
   * by a call whose reply the failover cut: the worker did not count it, the record has it).
   */
  private boolean ended(String id) {
    if (stored.containsKey(id) || endedUnseen.contains(id)) {
      return true;
    }
    try {
      boolean done =
          queue
              .getJob(id)
              .map(j -> j.getState() == dev.polyrun.proto.v1.JobState.JOB_STATE_DONE)
              .orElse(false);
      if (done) {
        endedUnseen.add(id);
      }
      return done;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    submitting.set(false);
    working.set(false);
    submitter.interrupt();
    workers.forEach(Thread::interrupt);
  }
}
