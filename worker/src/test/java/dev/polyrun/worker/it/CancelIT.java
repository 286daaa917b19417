package dev.polyrun.worker.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.polyrun.proto.v1.Job;
import dev.polyrun.proto.v1.JobEvent;
import dev.polyrun.proto.v1.JobState;
import dev.polyrun.proto.v1.Verdict;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Cancelling a running job reaches its worker, which kills it and reports CANCELLED instead of
 * leaving it to run to its end.
 */
class CancelIT {
  private static WorkerHarness harness;

  @BeforeAll
  static void start() throws Exception {
    harness = new WorkerHarness();
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  private static Job await(String id, JobState state, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      Job job = harness.queue.getJob(id).orElseThrow();
      if (job.getState() == state) {
        return job;
      }
      Thread.sleep(10);
    }
    throw new AssertionError("job " + id + " not " + state + ": " + harness.queue.getJob(id));
  }

  @Test
  void aRunningJobIsKilledAndEndsCancelledBeforeItsOwnEnd() throws Exception {
    String id =
        harness.queue.submit(
            WorkerHarness.program(
                "python", "import time\nprint('working', flush=True)\ntime.sleep(60)"));
    await(id, JobState.JOB_STATE_RUNNING, Duration.ofSeconds(30));

    long asked = System.nanoTime();
    assertThat(harness.queue.cancel(id)).contains(JobState.JOB_STATE_RUNNING);
    Job job = await(id, JobState.JOB_STATE_CANCELLED, Duration.ofSeconds(30));
    long tookMillis = (System.nanoTime() - asked) / 1_000_000;

    assertThat(tookMillis).as("stopped, not left to its 60 s sleep").isLessThan(30_000);
    assertThat(job.getResult().getVerdict()).isEqualTo(Verdict.VERDICT_CANCELLED);
    assertThat(harness.queue.readEvents(id, "", Duration.ZERO, 1000))
        .filteredOn(JobEvent::hasResult)
        .hasSize(1);
    assertThat(harness.leftovers()).isEmpty();
    assertThat(harness.run("python", "print('next')").result().getVerdict())
        .isEqualTo(Verdict.VERDICT_OK);
  }

  @Test
  void aQueuedJobIsCancelledBeforeItRuns() throws Exception {
    String blocker =
        harness.queue.submit(WorkerHarness.program("python", "import time\ntime.sleep(2)"));
    String queued = harness.queue.submit(WorkerHarness.program("python", "print('must not run')"));
    await(blocker, JobState.JOB_STATE_RUNNING, Duration.ofSeconds(30));

    assertThat(harness.queue.cancel(queued)).contains(JobState.JOB_STATE_CANCELLED);
    await(blocker, JobState.JOB_STATE_DONE, Duration.ofSeconds(30));
    Thread.sleep(500);

    assertThat(harness.queue.getJob(queued).orElseThrow().getAttempt())
        .as("never delivered to run")
        .isZero();
    assertThat(harness.queue.readEvents(queued, "", Duration.ZERO, 100))
        .noneMatch(JobEvent::hasStdout);
  }
}
