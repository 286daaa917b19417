package dev.polyrun.queue;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.polyrun.proto.v1.JobEvent;
import dev.polyrun.proto.v1.JobState;
import dev.polyrun.proto.v1.Result;
import dev.polyrun.proto.v1.SourceFile;
import dev.polyrun.proto.v1.SubmitRequest;
import dev.polyrun.proto.v1.Verdict;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Nothing grows without bound: every key expires or is trimmed, and finished work leaves the jobs
 * stream.
 */
class RetentionTest extends RealRedisTest {

  private static List<String> keys() {
    List<String> keys = new ArrayList<>();
    String cursor = ScanParams.SCAN_POINTER_START;
    do {
      ScanResult<String> page = raw.scan(cursor, new ScanParams().count(1000));
      keys.addAll(page.getResult());
      cursor = page.getCursor();
    } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
    return keys;
  }

  @Test
  void aJobThatStartsLateKeepsItsRecordForAWholeRetentionPeriod() throws Exception {
    raw.flushAll();
    // a retention of 3 s, checked 4 s after the submission and at least 1.5 s before it ends
    QueueOptions options = QueueOptions.builder().jobTtl(Duration.ofSeconds(3)).build();
    try (RedisQueue queue = RedisQueue.connect(server.settings(), options, Duration.ofSeconds(1))) {
      String id =
          queue.submit(
              SubmitRequest.newBuilder()
                  .setLanguage("python")
                  .addFiles(SourceFile.newBuilder().setContent(ByteString.copyFromUtf8("print(1)")))
                  .build());
      Thread.sleep(1500);
      Delivery d = queue.take("w", Duration.ofMillis(100)).orElseThrow();
      Thread.sleep(1000);
      queue.publish(d, 1, JobEvent.getDefaultInstance(), JobState.JOB_STATE_RUNNING);
      Thread.sleep(1500);

      assertThat(queue.getJob(id))
          .as("2.5 s after it started, 4 s after it was submitted (a retention of 3 s)")
          .isPresent();
      assertThat(queue.readEvents(id, "", Duration.ZERO, 10)).isNotEmpty();
    }
  }

  @Test
  void finishedJobsLeaveOnlyExpiringKeysAndExpireAfterTheirTtl() throws Exception {
    raw.flushAll();
    QueueOptions options = QueueOptions.builder().jobTtl(Duration.ofSeconds(2)).build();
    try (RedisQueue queue = RedisQueue.connect(server.settings(), options, Duration.ofSeconds(1))) {
      for (int i = 0; i < 200; i++) {
        queue.submit(
            SubmitRequest.newBuilder()
                .setLanguage("python")
                .addFiles(
                    SourceFile.newBuilder().setContent(ByteString.copyFromUtf8("print(" + i + ")")))
                .build());
        Delivery d = queue.take("w", Duration.ofMillis(100)).orElseThrow();
        queue.publish(
            d,
            1,
            JobEvent.newBuilder().setStdout(ByteString.copyFromUtf8(i + "\n")).build(),
            JobState.JOB_STATE_RUNNING);
        queue.complete(
            d,
            2,
            Result.newBuilder().setVerdict(Verdict.VERDICT_OK).build(),
            JobState.JOB_STATE_DONE);
        queue.ack(d);
      }
      queue.heartbeat("w", 1, List.of(), Duration.ofSeconds(2));

      String jobs = keys.jobs("python");
      assertThat(raw.xlen(jobs)).as("acknowledged entries leave the jobs stream").isZero();
      for (String key : keys()) {
        if (!key.equals(jobs) && !key.equals(keys.queues())) {
          // -1 is a key without a TTL; -2 one that already expired (a slow machine), which is fine
          assertThat(raw.pttl(key)).as("ttl of %s", key).isNotEqualTo(-1L);
        }
      }
      Thread.sleep(2500);
      assertThat(keys()).containsExactlyInAnyOrder(jobs, keys.queues());
    }
  }
}
