package dev.polyrun.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.polyrun.proto.v1.JobState;
import dev.polyrun.proto.v1.Result;
import dev.polyrun.proto.v1.Verdict;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Waiting jobs of several tenants are served in turns: a burst does not starve anyone. */
class FairnessTest extends RealRedisTest {
  private RedisQueue queue;
  private final Map<String, String> tenantOf = new HashMap<>();

  @BeforeEach
  void freshQueue() {
    queue = freshQueue(QueueOptions.defaults());
  }

  private void submit(String tenant, int count) {
    for (int i = 0; i < count; i++) {
      String id = queue.submit(python("print(1)"), tenant);
      tenantOf.put(id, tenant);
    }
  }

  /**
   * Runs every job with one worker and returns the tenants in the order their jobs were taken (a
   * take that skips a cancelled job comes back empty: three empty takes in a row end it).
   */
  private List<String> drain() {
    List<String> order = new ArrayList<>();
    int empty = 0;
    while (empty < 3) {
      var d = queue.take("w", Duration.ofMillis(50));
      if (d.isEmpty()) {
        empty++;
        continue;
      }
      empty = 0;
      order.add(tenantOf.get(d.get().jobId()));
      queue.complete(
          d.get(),
          1,
          Result.newBuilder().setVerdict(Verdict.VERDICT_OK).build(),
          JobState.JOB_STATE_DONE);
      queue.ack(d.get());
    }
    return order;
  }

  @Test
  void aSingleJobOfAnotherTenantIsServedSoonAfterABurst() {
    submit("burst", 50);
    submit("single", 1);

    List<String> order = drain();

    assertThat(order).hasSize(51);
    assertThat(order.indexOf("single")).as("position of the single job").isLessThanOrEqualTo(3);
  }

  @Test
  void backloggedTenantsTakeTurns() {
    submit("a", 10);
    submit("b", 10);
    submit("c", 10);

    List<String> order = drain();

    assertThat(order).hasSize(30);
    List<String> middle = order.subList(6, 24);
    for (String tenant : List.of("a", "b", "c")) {
      assertThat(middle.stream().filter(tenant::equals).count())
          .as("turns of %s in the middle", tenant)
          .isBetween(5L, 7L);
    }
  }

  @Test
  void backlogCountsInTheDepthAndDrainsAway() {
    submit("a", 20);

    assertThat(queue.depth().waiting()).isEqualTo(20);
    drain();
    assertThat(queue.depth()).isEqualTo(new QueueDepth(0, 0));
    assertThat(raw.exists(keys.backlogTenants("python"))).isFalse();
    assertThat(raw.exists(keys.backlogPrefix("python") + "a")).isFalse();
  }

  @Test
  void cancelledJobsLeaveTheBacklogAtOnceAndTheRestKeepTheirTurns() {
    submit("a", 10);
    submit("b", 3);
    List<String> cancelled =
        tenantOf.entrySet().stream()
            .filter(e -> e.getValue().equals("a"))
            .map(Map.Entry::getKey)
            .toList();

    for (String id : cancelled) {
      assertThat(queue.cancel(id)).contains(JobState.JOB_STATE_CANCELLED);
    }

    // the first of "a" went straight into the stream; the other nine waited in its backlog
    assertThat(raw.exists(keys.backlogPrefix("python") + "a")).as("a's backlog").isFalse();
    assertThat(raw.zrange(keys.backlogTenants("python"), 0, -1)).containsExactly("b");
    assertThat(queue.depth().waiting()).isEqualTo(4);
    assertThat(drain()).containsExactly("b", "b", "b");
  }
}
