package dev.polyrun.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.polyrun.proto.v1.JobEvent;
import dev.polyrun.proto.v1.JobState;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One connection reading many jobs' event streams at once, against a real Redis. */
class EventReaderTest extends RealRedisTest {
  private RedisQueue queue;

  @BeforeEach
  void fresh() {
    queue = freshQueue(QueueOptions.defaults());
  }

  @Test
  void oneReadReturnsTheEventsOfEveryJobAfterEachOnesCursor() {
    Map<String, String> cursors = new HashMap<>();
    for (int i = 0; i < 50; i++) {
      cursors.put(queue.submit(python("print(" + i + ")")), "");
    }
    String first = cursors.keySet().iterator().next();
    String firstCursor = queue.readEvents(first, "", Duration.ZERO, 1).get(0).getCursor();
    cursors.put(first, firstCursor);

    try (EventReader reader = queue.openEventReader(Duration.ofSeconds(2))) {
      Map<String, List<JobEvent>> read = reader.read(cursors, Duration.ofSeconds(1), 10);

      assertThat(read).hasSize(49).doesNotContainKey(first);
      assertThat(read.values())
          .allSatisfy(
              events ->
                  assertThat(events)
                      .singleElement()
                      .satisfies(
                          e ->
                              assertThat(e.getState().getState())
                                  .isEqualTo(JobState.JOB_STATE_QUEUED)));
      read.forEach((job, events) -> assertThat(events.get(0).getJobId()).isEqualTo(job));
    }
  }

  @Test
  void aBlockedReadReturnsTheFirstNewEventOfAnyJob() throws Exception {
    String quiet = queue.submit(python("1"));
    String busy = queue.submit(python("2"));
    Map<String, String> cursors = Map.of(quiet, last(quiet), busy, last(busy));
    Delivery d = queue.take("w1", Duration.ofMillis(100)).orElseThrow();

    try (EventReader reader = queue.openEventReader(Duration.ofSeconds(30))) {
      CompletableFuture<Map<String, List<JobEvent>>> read =
          CompletableFuture.supplyAsync(() -> reader.read(cursors, Duration.ofSeconds(30), 10));
      Thread.sleep(100);
      queue.publish(
          d, 1, JobEvent.newBuilder().setStdout(ByteString.copyFromUtf8("hi")).build(), null);

      Map<String, List<JobEvent>> events = read.get(20, TimeUnit.SECONDS);
      assertThat(events).containsOnlyKeys(d.jobId());
      assertThat(events.get(d.jobId()))
          .singleElement()
          .satisfies(e -> assertThat(e.getStdout().toStringUtf8()).isEqualTo("hi"));
    }
  }

  @Test
  void aJobsHeadAndAPageOfItsEventsAreReadTogether() {
    String job = queue.submit(python("1"), "acme");
    String queued = queue.readEvents(job, "", Duration.ZERO, 1).get(0).getCursor();

    JobQueue.JobView view = queue.headAndEvents(job, "", 10).orElseThrow();

    assertThat(view.head()).isEqualTo(new JobHead("acme", JobState.JOB_STATE_QUEUED, 0));
    assertThat(view.events()).extracting(JobEvent::getCursor).containsExactly(queued);
    assertThat(queue.headAndEvents(job, queued, 10).orElseThrow().events()).isEmpty();
    assertThat(queue.headAndEvents("nope", "", 10)).isEmpty();
  }

  @Test
  void aWakeUpEndsABlockedReadWithNothing() throws Exception {
    String job = queue.submit(python("1"));
    try (EventReader reader = queue.openEventReader(Duration.ofSeconds(30))) {
      CompletableFuture<Map<String, List<JobEvent>>> read =
          CompletableFuture.supplyAsync(
              () -> reader.read(Map.of(job, last(job)), Duration.ofSeconds(30), 10));
      Thread.sleep(200);

      reader.wakeUp();

      assertThat(read.get(20, TimeUnit.SECONDS)).isEmpty();
    }
  }

  @Test
  void aWakeUpBeforeAReadMakesThatReadReturnAtOnce() throws Exception {
    String job = queue.submit(python("1"));
    try (EventReader reader = queue.openEventReader(Duration.ofSeconds(30))) {
      reader.wakeUp();

      CompletableFuture<Map<String, List<JobEvent>>> read =
          CompletableFuture.supplyAsync(
              () -> reader.read(Map.of(job, last(job)), Duration.ofSeconds(30), 10));
      assertThat(read.get(20, TimeUnit.SECONDS)).isEmpty();
    }
  }

  @Test
  void theReaderRidesOutARedisRestartOnItsNextRead() {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        server.isLocal(), "needs a redis-server it can restart");
    // every write on disk before its reply (the restart brings back the server's own setting):
    // with everysec, a kill while a slow fsync holds back the file's writes loses the last second
    raw.configSet("appendfsync", "always");
    String job = queue.submit(python("1"));
    try (EventReader reader = queue.openEventReader(Duration.ofSeconds(2))) {
      assertThat(reader.read(Map.of(job, ""), Duration.ZERO, 10)).containsKey(job);
      server.restart();

      assertThatThrownBy(() -> reader.read(Map.of(job, ""), Duration.ZERO, 10))
          .isInstanceOf(QueueUnavailableException.class);
      assertThat(reader.read(Map.of(job, ""), Duration.ZERO, 10))
          .as("the acknowledged event survived")
          .containsKey(job);
    } finally {
      // the shared test client's pooled connections died with the server: let them be replaced
      for (int i = 0; i < 40; i++) {
        try {
          raw.ping();
        } catch (RuntimeException stale) {
          continue;
        }
        break;
      }
    }
  }

  @Test
  void theReaderHoldsOneConnectionOutsideThePool() {
    String job = queue.submit(python("1"));
    long before = connectedClients();
    try (EventReader reader = queue.openEventReader(Duration.ofSeconds(2))) {
      reader.read(Map.of(job, ""), Duration.ZERO, 10);
      assertThat(connectedClients()).isEqualTo(before + 1);
      assertThat(queue.connections().active()).isZero();
    }
  }

  private long connectedClients() {
    String info = raw.info("clients");
    return Long.parseLong(
        info.lines()
            .filter(l -> l.startsWith("connected_clients:"))
            .findFirst()
            .orElseThrow()
            .substring("connected_clients:".length())
            .trim());
  }

  private String last(String job) {
    List<JobEvent> events = queue.readEvents(job, "", Duration.ZERO, 100);
    return events.get(events.size() - 1).getCursor();
  }
}
