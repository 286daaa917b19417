package dev.polyrun.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import dev.polyrun.coordinator.AuthMode;
import dev.polyrun.coordinator.Tenants;
import dev.polyrun.proto.v1.ExecuteRequest;
import dev.polyrun.proto.v1.GetJobRequest;
import dev.polyrun.proto.v1.Job;
import dev.polyrun.proto.v1.JobState;
import dev.polyrun.proto.v1.SourceFile;
import dev.polyrun.queue.testing.Await;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One tenant's burst does not starve another tenant's single job, through the real coordinator and
 * worker.
 */
class FairnessIT {
  @RegisterExtension
  static final ClusterExtension cluster =
      ClusterExtension.of(
          b ->
              b.workerSlots(1)
                  .coordinator(
                      c ->
                          c.auth(AuthMode.KEYS)
                              .tenants(
                                  Tenants.of(
                                      List.of(
                                          LocalCluster.tenant(
                                              "bursty", "key-bursty", 1000, 1000, 1000),
                                          LocalCluster.tenant(
                                              "quiet", "key-quiet", 1000, 1000, 1000))))));

  private static ExecuteRequest python(String source) {
    return ExecuteRequest.newBuilder()
        .setLanguage("python")
        .addFiles(SourceFile.newBuilder().setContent(ByteString.copyFromUtf8(source)))
        .build();
  }

  private static Job job(String apiKey, String id) {
    return cluster.as(apiKey).getJob(GetJobRequest.newBuilder().setJobId(id).build());
  }

  /** The job once DONE (within a minute: 13 short jobs on one slot). */
  private static Job awaitDone(String apiKey, String id) {
    return Await.value(
        Duration.ofSeconds(60),
        () -> Optional.of(job(apiKey, id)).filter(j -> j.getState() == JobState.JOB_STATE_DONE),
        "job " + id + " is done");
  }

  /** A time of the job's timeline (asserted present). */
  private static Instant at(Job job, String what, Timestamp time, boolean present) {
    assertThat(present).as("the result of %s says when it was %s", job.getJobId(), what).isTrue();
    return Instant.ofEpochSecond(time.getSeconds(), time.getNanos());
  }

  private static Instant queuedAt(Job job) {
    var t = job.getResult().getTimeline();
    return at(job, "queued", t.getQueuedAt(), t.hasQueuedAt());
  }

  private static Instant claimedAt(Job job) {
    var t = job.getResult().getTimeline();
    return at(job, "claimed", t.getClaimedAt(), t.hasClaimedAt());
  }

  @Test
  void aQuietTenantsJobRunsBeforeMostOfABurstSubmittedEarlier() throws Exception {
    List<String> burst = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      burst.add(
          cluster
              .as("key-bursty")
              .submit(
                  LocalCluster.asSubmit(python("import time\ntime.sleep(0.3)\nprint(" + i + ")")))
              .getJobId());
    }
    String quiet =
        cluster
            .as("key-quiet")
            .submit(LocalCluster.asSubmit(python("print('my turn')")))
            .getJobId();

    Job quietJob = awaitDone("key-quiet", quiet);
    List<Job> burstJobs = new ArrayList<>();
    for (String id : burst) {
      burstJobs.add(awaitDone("key-bursty", id));
    }

    // Burst jobs that overtook the quiet one: claimed after it was queued and before it was
    // claimed. Those claimed before it was queued (while the burst was being submitted, on a slow
    // host) do not count. Fair turns let at most the entries already fed to the stream go first.
    Instant quietQueued = queuedAt(quietJob);
    Instant quietClaimed = claimedAt(quietJob);
    long burstBefore =
        burstJobs.stream()
            .map(FairnessIT::claimedAt)
            .filter(t -> t.isAfter(quietQueued) && t.isBefore(quietClaimed))
            .count();

    assertThat(burstBefore)
        .as("burst jobs claimed while the quiet tenant's job waited")
        .isLessThanOrEqualTo(4);
  }
}
