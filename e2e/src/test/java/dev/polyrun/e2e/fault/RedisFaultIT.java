package dev.polyrun.e2e.fault;

import static org.assertj.core.api.Assertions.assertThat;

import dev.polyrun.proto.v1.Job;
import dev.polyrun.proto.v1.JobEvent;
import dev.polyrun.proto.v1.Verdict;
import dev.polyrun.queue.QueueUnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Redis restarts under load: workers reconnect by themselves and no acknowledged job is lost. */
@Tag("fault")
class RedisFaultIT {
  private FaultCluster cluster;

  @BeforeEach
  void start() throws Exception {
    // appendfsync always: what Redis acknowledged survives its kill -9 (the fsync durability)
    cluster = new FaultCluster("--appendfsync", "always");
  }

  @AfterEach
  void stop() throws Exception {
    cluster.close();
  }

  /**
   * Submits like a client that retries while the service is unavailable; returns the acknowledged
   * id.
   */
  static String submitRetrying(FaultCluster cluster, String source) throws InterruptedException {
    while (true) {
      try {
        return cluster.queue.submit(FaultCluster.python(source));
      } catch (QueueUnavailableException e) {
        Thread.sleep(100);
      }
    }
  }

  @Test
  void redisRestartedTwiceUnderLoadLosesNoAcknowledgedJob() throws Exception {
    cluster.worker("host-a");
    cluster.worker("host-b");
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      ids.add(submitRetrying(cluster, "import time\ntime.sleep(0.2)\nprint(" + i + ")"));
      if (i == 12 || i == 27) {
        cluster.redis.restart();
      }
    }

    for (int i = 0; i < ids.size(); i++) {
      Job job = cluster.awaitFinal(ids.get(i), Duration.ofSeconds(120));
      assertThat(job.getResult().getVerdict()).as("job %d", i).isEqualTo(Verdict.VERDICT_OK);
      List<JobEvent> events = cluster.events(ids.get(i));
      assertThat(events.stream().filter(JobEvent::hasResult).count())
          .as("results of job %d", i)
          .isEqualTo(1);
    }
    assertThat(cluster.queue.depth().pending()).isZero();
  }
}
