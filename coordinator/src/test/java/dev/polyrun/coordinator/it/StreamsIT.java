package dev.polyrun.coordinator.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.polyrun.coordinator.Coordinator;
import dev.polyrun.coordinator.StreamOptions;
import dev.polyrun.proto.v1.ExecutorServiceGrpc;
import dev.polyrun.proto.v1.JobEvent;
import dev.polyrun.proto.v1.SourceFile;
import dev.polyrun.proto.v1.StreamEventsRequest;
import dev.polyrun.proto.v1.SubmitRequest;
import dev.polyrun.queue.Delivery;
import dev.polyrun.queue.QueueOptions;
import dev.polyrun.queue.testing.Await;
import dev.polyrun.queue.testing.TestRedis;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Thousands-of-streams behaviour on a small scale: many streams on few Redis connections, a slow
 * client among fast ones, resuming across coordinators while the shared readers reconnect, and a
 * Redis restart under open streams. A real redis-server, real coordinators on free ports, grpc-java
 * clients, and a stand-in worker writing through the queue API.
 */
class StreamsIT {
  private Harness h;

  @AfterEach
  void close() throws Exception {
    if (h != null) {
      h.close();
    }
  }

  private static SubmitRequest program(int i) {
    return SubmitRequest.newBuilder()
        .setLanguage("python")
        .addFiles(SourceFile.newBuilder().setContent(ByteString.copyFromUtf8("print(" + i + ")")))
        .build();
  }

  private static Collector<StreamEventsRequest> follow(
      ManagedChannel channel,
      String jobId,
      String after,
      Collector<StreamEventsRequest> collector) {
    ExecutorServiceGrpc.newStub(channel)
        .streamEvents(
            StreamEventsRequest.newBuilder().setJobId(jobId).setAfterCursor(after).build(),
            collector);
    return collector;
  }

  /** Every event of the job as Redis holds it. */
  private List<JobEvent> stored(String jobId) {
    return Harness.retrying(() -> h.worker.readEvents(jobId, "", Duration.ZERO, 100_000));
  }

  private static List<String> cursors(List<JobEvent> events) {
    return events.stream().map(JobEvent::getCursor).toList();
  }

  @Test
  void hundredsOfStreamsOnAFewConnectionsEachGetEveryEventInOrderAndTheirResult() throws Exception {
    h = new Harness();
    Coordinator c = h.coordinator(4, b -> b.streams(new StreamOptions(2, 4096, 4 << 20)));
    List<ManagedChannel> channels = List.of(h.channel(c), h.channel(c), h.channel(c));
    Map<String, Collector<StreamEventsRequest>> streams = new HashMap<>();
    for (int i = 0; i < 300; i++) {
      ManagedChannel channel = channels.get(i % channels.size());
      String jobId = Harness.blocking(channel).submit(program(i)).getJobId();
      streams.put(jobId, follow(channel, jobId, "", Collector.reading()));
    }

    for (int i = 0; i < 300; i++) {
      Delivery d = h.start();
      for (int line = 0; line < 5; line++) {
        h.print(d, d.jobId() + " line " + line);
      }
      h.finish(d);
    }

    for (Map.Entry<String, Collector<StreamEventsRequest>> s : streams.entrySet()) {
      assertThat(s.getValue().await(60)).as("stream of %s", s.getKey()).isEqualTo(Status.OK);
      List<JobEvent> got = s.getValue().received();
      assertThat(cursors(got))
          .as("every event of %s, in order, once", s.getKey())
          .isEqualTo(cursors(stored(s.getKey())));
      assertThat(got).hasSize(8);
      assertThat(got.get(got.size() - 1).hasResult()).isTrue();
    }
    assertThat(h.connectionsNamed("polyrun-events"))
        .as("the shared readers' connections")
        .isEqualTo(2);
  }

  @Test
  void aClientThatDoesNotReadEndsWithResourceExhaustedAndHoldsBackNoOtherStream() throws Exception {
    h = new Harness();
    Coordinator c = h.coordinator(4, b -> b.streams(new StreamOptions(1, 300, 1 << 20)));
    ManagedChannel slowChannel = h.channel(c);
    ManagedChannel fastChannel = h.channel(c);
    String slowJob = Harness.blocking(fastChannel).submit(program(1)).getJobId();
    String fastJob = Harness.blocking(fastChannel).submit(program(2)).getJobId();
    Collector<StreamEventsRequest> slow = follow(slowChannel, slowJob, "", Collector.notReading());
    Collector<StreamEventsRequest> fast = follow(fastChannel, fastJob, "", Collector.reading());
    Delivery first = h.start();
    Delivery second = h.start();
    String chunk = "x".repeat(2048);

    for (int i = 0; i < 1000; i++) { // far more than the slow client's window and buffer hold
      h.print(first, chunk);
      h.print(second, chunk);
    }
    h.finish(first);
    h.finish(second);

    assertThat(fast.await(60)).as("the fast stream ends with its result").isEqualTo(Status.OK);
    assertThat(cursors(fast.received())).isEqualTo(cursors(stored(fastJob)));
    slow.readAll();
    Status cut = slow.await(60);
    assertThat(cut.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(cut.getDescription())
        .contains("read job " + slowJob + "'s events more slowly than they came")
        .contains("resume with StreamEvents(job_id=" + slowJob + ", after_cursor=");

    Collector<StreamEventsRequest> resumed =
        follow(fastChannel, slowJob, slow.lastCursor(), Collector.reading());
    assertThat(resumed.await(60)).isEqualTo(Status.OK);
    List<JobEvent> all = new ArrayList<>(slow.received());
    all.addAll(resumed.received());
    assertThat(cursors(all))
        .as("what was read before the cut and after the resume")
        .isEqualTo(cursors(stored(slowJob)));
  }

  @Test
  void aClientResumesOnAnotherCoordinatorAfterItsCursorWhileTheSharedReadersReconnect()
      throws Exception {
    h = new Harness();
    Coordinator one = h.coordinator(4, b -> {});
    Coordinator two = h.coordinator(4, b -> {});
    ManagedChannel toOne = h.channel(one);
    String jobId = Harness.blocking(toOne).submit(program(1)).getJobId();
    Collector<StreamEventsRequest> before = follow(toOne, jobId, "", Collector.reading());
    Delivery d = h.start();
    h.print(d, "one");
    awaitEvents(before, 3);

    h.killConnectionsNamed("polyrun-events"); // both coordinators' readers lose their connections
    h.print(d, "two");
    awaitEvents(before, 4);
    one.shutdown(Duration.ZERO);
    Status cut = before.await(30);
    assertThat(cut.getCode())
        .isIn(Status.Code.UNAVAILABLE, Status.Code.CANCELLED, Status.Code.INTERNAL);

    h.print(d, "three");
    Collector<StreamEventsRequest> after =
        follow(h.channel(two), jobId, before.lastCursor(), Collector.reading());
    h.print(d, "four");
    h.finish(d);

    assertThat(after.await(60)).isEqualTo(Status.OK);
    List<JobEvent> all = new ArrayList<>(before.received());
    all.addAll(after.received());
    assertThat(cursors(all)).isEqualTo(cursors(stored(jobId)));
    assertThat(all)
        .filteredOn(JobEvent::hasStdout)
        .extracting(e -> e.getStdout().toStringUtf8())
        .containsExactly("one", "two", "three", "four");
  }

  @Test
  void openStreamsRideOutARedisRestartWithNothingMissedOrRepeated() throws Exception {
    // a local redis-server it can kill -9; appendfsync always: what Redis acknowledged survives
    // the kill (the fsync durability)
    h =
        new Harness(
            QueueOptions.defaults(), TestRedis.startLocalOnFreePort("--appendfsync", "always"));
    Coordinator c = h.coordinator(4, b -> {});
    ManagedChannel channel = h.channel(c);
    Map<String, Collector<StreamEventsRequest>> streams = new HashMap<>();
    List<Delivery> running = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      String jobId = Harness.blocking(channel).submit(program(i)).getJobId();
      streams.put(jobId, follow(channel, jobId, "", Collector.reading()));
    }
    for (int i = 0; i < 100; i++) {
      Delivery d = h.start();
      h.print(d, "before");
      running.add(d);
    }

    h.redis.restart();
    for (Delivery d : running) {
      h.print(d, "after");
      h.finish(d);
    }

    for (Map.Entry<String, Collector<StreamEventsRequest>> s : streams.entrySet()) {
      assertThat(s.getValue().await(60)).as("stream of %s", s.getKey()).isEqualTo(Status.OK);
      assertThat(cursors(s.getValue().received())).isEqualTo(cursors(stored(s.getKey())));
      assertThat(s.getValue().received())
          .filteredOn(JobEvent::hasStdout)
          .extracting(e -> e.getStdout().toStringUtf8())
          .containsExactly("before", "after");
    }
  }

  @Test
  void aFinishedJobIsReplayedWholeAndAResumeAfterItsResultEndsAtOnce() throws Exception {
    h = new Harness();
    Coordinator c = h.coordinator(2, b -> {});
    ManagedChannel channel = h.channel(c);
    String jobId = Harness.blocking(channel).submit(program(1)).getJobId();
    Delivery d = h.start();
    for (int i = 0; i < 600; i++) { // more than one page
      h.print(d, "line " + i);
    }
    h.finish(d);

    Collector<StreamEventsRequest> replay = follow(channel, jobId, "", Collector.reading());
    assertThat(replay.await(60)).isEqualTo(Status.OK);
    assertThat(cursors(replay.received())).isEqualTo(cursors(stored(jobId)));

    Collector<StreamEventsRequest> past =
        follow(channel, jobId, replay.lastCursor(), Collector.reading());
    assertThat(past.await(60)).isEqualTo(Status.OK);
    assertThat(past.received()).isEmpty();
  }

  @Test
  void aReplayFromTheStartShowsTheFinalAttemptAloneAndAResumeShowsEveryEvent() throws Exception {
    h = new Harness(dev.polyrun.queue.QueueOptions.builder().lease(Duration.ofSeconds(1)).build());
    Coordinator c = h.coordinator(2, b -> {});
    ManagedChannel channel = h.channel(c);
    String jobId = Harness.blocking(channel).submit(program(1)).getJobId();
    Delivery lost = h.start();
    h.print(lost, "first");
    Harness.sleep(1300); // its worker stops renewing: the next taker runs the job again
    Delivery rerun = h.start();
    assertThat(rerun.attempt()).isEqualTo(lost.attempt() + 1);
    h.print(rerun, "second");
    h.finish(rerun);

    Collector<StreamEventsRequest> replay = follow(channel, jobId, "", Collector.reading());
    assertThat(replay.await(60)).isEqualTo(Status.OK);
    assertThat(replay.received())
        .filteredOn(JobEvent::hasStdout)
        .extracting(e -> e.getStdout().toStringUtf8())
        .containsExactly("second");
    assertThat(replay.received()).noneMatch(JobEvent::hasAttemptAbandoned);
    assertThat(replay.received().get(replay.received().size() - 1).hasResult()).isTrue();

    String queued = stored(jobId).get(0).getCursor();
    Collector<StreamEventsRequest> resumed = follow(channel, jobId, queued, Collector.reading());
    assertThat(resumed.await(60)).isEqualTo(Status.OK);
    assertThat(cursors(resumed.received()))
        .isEqualTo(cursors(stored(jobId)).subList(1, stored(jobId).size()));
    assertThat(resumed.received())
        .filteredOn(JobEvent::hasStdout)
        .extracting(e -> e.getStdout().toStringUtf8())
        .containsExactly("first", "second");
  }

  private static void awaitEvents(Collector<?> c, int count) {
    Await.until(
        Duration.ofSeconds(30), () -> c.received().size() >= count, count + " events received");
  }
}
