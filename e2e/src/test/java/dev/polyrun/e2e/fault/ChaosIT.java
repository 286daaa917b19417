package dev.polyrun.e2e.fault;

import static org.assertj.core.api.Assertions.assertThat;

import dev.polyrun.proto.v1.Job;
import dev.polyrun.proto.v1.JobEvent;
import dev.polyrun.proto.v1.JobState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The queue-wide promise: a few hundred jobs submitted while workers are killed and paused and
 * Redis is restarted at random; after the drain every acknowledged submission has exactly one
 * final result.
 */
@Tag("fault")
class ChaosIT {
  private static final int JOBS = 300;
  private static final int WORKERS = 3;
  private FaultCluster cluster;

  @BeforeEach
  void start() throws Exception {
    cluster = new FaultCluster();
  }

  @AfterEach
  void stop() throws Exception {
    cluster.close();
  }

  @Test
  void everyAcknowledgedSubmissionEndsWithOneResultDespiteChaos() throws Exception {
    List<JavaProcess> workers = new ArrayList<>();
    for (int i = 0; i < WORKERS; i++) {
      workers.add(cluster.worker("host-" + i));
    }
    AtomicBoolean submitting = new AtomicBoolean(true);
    List<String> ids = new ArrayList<>();
    Thread submitter = Thread.ofVirtual().start(() -> {
      try {
        for (int i = 0; i < JOBS; i++) {
          String id = RedisFaultIT.submitRetrying(cluster, "print(" + i + ")");
          synchronized (ids) {
            ids.add(id);
          }
          Thread.sleep(80);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        submitting.set(false);
      }
    });
    int[] chaos = chaos(workers, submitting, new Random(42));
    submitter.join();

    int lost = 0;
    int duplicates = 0;
    int reruns = 0;
    for (String id : ids) {
      Job job = cluster.awaitFinal(id, Duration.ofSeconds(180));
      List<JobEvent> events = cluster.events(id);
      long results = events.stream().filter(JobEvent::hasResult).count();
      lost += job.getState() == JobState.JOB_STATE_DONE && results == 1 ? 0 : 1;
      duplicates += results > 1 ? 1 : 0;
      reruns += job.getAttempt() > 1 ? 1 : 0;
    }
    System.out.printf("chaos report: %d acknowledged submissions, lost=%d, duplicate results=%d, re-run=%d; "
        + "worker kills=%d, pauses=%d, redis restarts=%d%n", ids.size(), lost, duplicates, reruns, chaos[0], chaos[1], chaos[2]);
    assertThat(ids).hasSize(JOBS);
    assertThat(chaos).as("kills, pauses, redis restarts").doesNotContain(0);
    assertThat(lost).isZero();
    assertThat(duplicates).isZero();
    assertThat(cluster.retrying(() -> cluster.queue.depth()).pending()).isZero();
  }

  /**
   * Until submissions end, every 1-2 s in turn: kill a worker (and start its replacement), pause
   * one past the lease, restart Redis.
   */
  private int[] chaos(List<JavaProcess> workers, AtomicBoolean submitting, Random random) throws Exception {
    int[] counts = new int[3];
    int round = 0;
    while (submitting.get()) {
      Thread.sleep(1000 + random.nextInt(1000));
      int pick = random.nextInt(workers.size());
      switch (round++ % 3) {
        case 0 -> {
          workers.get(pick).kill9();
          workers.set(pick, cluster.worker("host-" + pick));
          counts[0]++;
        }
        case 1 -> {
          workers.get(pick).signal("STOP");
          Thread.sleep(FaultCluster.LEASE.toMillis() + 1000);
          workers.get(pick).signal("CONT");
          counts[1]++;
        }
        default -> {
          cluster.redis.restart();
          counts[2]++;
        }
      }
    }
    return counts;
  }
}
