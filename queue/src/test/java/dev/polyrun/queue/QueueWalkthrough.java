package dev.polyrun.queue;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.polyrun.proto.v1.JobEvent;
import dev.polyrun.proto.v1.JobState;
import dev.polyrun.proto.v1.Language;
import dev.polyrun.proto.v1.Result;
import dev.polyrun.proto.v1.SourceFile;
import dev.polyrun.proto.v1.SubmitRequest;
import dev.polyrun.proto.v1.Verdict;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A job's whole life through every call a coordinator and a worker make (advertise, keyed and plain
 * submits, admission's load, stats, take, renew, publish, complete, ack, release, cancel, event
 * reads with a wake-up, heartbeat, reconciliation, pruning), on whatever Redis the settings name:
 * the topology tests run it on a cluster, over TLS, as a restricted ACL user.
 */
final class QueueWalkthrough {
  private static final Duration HOUR = Duration.ofHours(1);

  private QueueWalkthrough() {}

  static void run(RedisSettings settings, QueueOptions options) throws Exception {
    try (RedisQueue queue = RedisQueue.connect(settings, options, Duration.ofSeconds(2));
        RedisAdmission admission = RedisAdmission.sharing(queue, options);
        RedisQueueStats stats = RedisQueueStats.connect(settings, options, 100)) {
      queue.advertise(
          List.of(
              Language.newBuilder().setName("python").build(),
              Language.newBuilder().setName("c").build()));
      assertThat(queue.servedQueues()).containsExactlyInAnyOrder("python", "c");
      assertThat(queue.languages()).extracting(Language::getName).containsExactly("c", "python");

      SubmitOutcome first = queue.submit(keyed("acme", "k1", program("python", "print(1)")));
      assertThat(first).isInstanceOf(SubmitOutcome.Accepted.class);
      String jobId = ((SubmitOutcome.Accepted) first).jobId();
      assertThat(queue.submit(keyed("acme", "k1", program("python", "print(1)"))))
          .isEqualTo(new SubmitOutcome.Duplicate(jobId));
      assertThat(queue.submit(keyed("acme", "k1", program("python", "print(2)"))))
          .isEqualTo(new SubmitOutcome.KeyReused(jobId));
      List<String> more = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        more.add(
            queue.submit(
                program(i % 2 == 0 ? "python" : "c", "print(" + i + ")"),
                i < 3 ? "acme" : "other"));
      }
      assertThat(queue.depth().waiting()).as("the waiting jobs, backlogs included").isEqualTo(7);
      assertThat(admission.load(100).waiting()).isEqualTo(7);
      assertThat(stats.read().waiting()).isEqualTo(7);

      Delivery d = queue.take("w1", Duration.ofMillis(200), List.of("python", "c")).orElseThrow();
      assertThat(queue.headAndEvents(d.jobId(), "", 10)).isPresent();
      assertThat(queue.renew(d, "w1")).isTrue();
      assertThat(
              queue.publish(
                  d,
                  1,
                  JobEvent.newBuilder().setStdout(ByteString.copyFromUtf8("1\n")).build(),
                  JobState.JOB_STATE_RUNNING))
          .isTrue();
      assertThat(queue.cancelRequested(d.jobId())).isFalse();
      assertThat(queue.complete(d, 2, ok(), JobState.JOB_STATE_DONE)).isTrue();
      queue.ack(d);
      assertThat(queue.getJob(d.jobId()).orElseThrow().getState())
          .isEqualTo(JobState.JOB_STATE_DONE);
      assertThat(queue.readEvents(d.jobId(), "", Duration.ZERO, 10)).hasSize(3);

      Delivery released =
          queue.take("w1", Duration.ofMillis(200), List.of("python", "c")).orElseThrow();
      queue.release(released, "w1");
      String cancelled = more.get(more.size() - 1);
      assertThat(queue.cancel(cancelled)).isPresent();

      readEvents(queue, more);

      queue.heartbeat("w1", 2, List.of(), Duration.ofSeconds(15), List.of("python", "c"));
      assertThat(stats.read().workers()).isNotEmpty();
      assertThat(admission.reconcileActiveJobs("acme")).isGreaterThanOrEqualTo(0);
      queue.pruneConsumers(Duration.ofMinutes(1), null);
      drain(queue);
      assertThat(queue.depth()).isEqualTo(new QueueDepth(0, 0));
    }
  }

  /** Reads the jobs' events, then blocks on a read with nothing new until a wake-up ends it. */
  private static void readEvents(RedisQueue queue, List<String> jobs) throws Exception {
    Map<String, String> cursors = new HashMap<>();
    jobs.forEach(id -> cursors.put(id, ""));
    try (EventReader reader = queue.openEventReader(Duration.ofSeconds(30))) {
      Map<String, List<JobEvent>> events = reader.read(cursors, Duration.ofMillis(200), 10);
      assertThat(events.keySet()).as("the events of jobs in several slots").containsAll(jobs);

      Map<String, String> after = new HashMap<>();
      events.forEach((id, list) -> after.put(id, list.get(list.size() - 1).getCursor()));
      CompletableFuture<Map<String, List<JobEvent>>> blocked =
          CompletableFuture.supplyAsync(() -> reader.read(after, Duration.ofSeconds(25), 10));
      Thread.sleep(300); // let the read block (a wake-up before it also ends it, at once)
      reader.wakeUp();
      assertThat(blocked.get(20, TimeUnit.SECONDS)).as("a woken read, nothing new").isEmpty();
    }
  }

  static SubmitRequest program(String language, String source) {
    return SubmitRequest.newBuilder()
        .setLanguage(language)
        .addFiles(SourceFile.newBuilder().setContent(ByteString.copyFromUtf8(source)))
        .build();
  }

  static Submission keyed(String tenant, String key, SubmitRequest request) {
    return new Submission(
        request,
        tenant,
        Optional.of(new Submission.IdempotencyKey(key, "fp-" + request.hashCode(), HOUR)),
        new Submission.Quota(50, 1000, 1000),
        true);
  }

  static Result ok() {
    return Result.newBuilder().setVerdict(Verdict.VERDICT_OK).build();
  }

  private static void drain(RedisQueue queue) {
    while (true) {
      Optional<Delivery> d = queue.take("w2", Duration.ofMillis(100), List.of("python", "c"));
      if (d.isEmpty()) {
        return;
      }
      queue.complete(d.get(), 1, ok(), JobState.JOB_STATE_DONE);
      queue.ack(d.get());
    }
  }
}
