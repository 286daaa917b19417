package dev.polyrun.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
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

  /** When the worker stored the job's result: its finish time. */
  private static Instant storedAt(Job job) {
    assertThat(job.getResult().getTimeline().hasStoredAt())
        .as("the result of %s says when it was stored", job.getJobId())
        .isTrue();
    var stored = job.getResult().getTimeline().getStoredAt();
    return Instant.ofEpochSecond(stored.getSeconds(), stored.getNanos());
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

    // One worker slot runs the jobs one at a time, so the order in which their results were
    // stored is the order in which they ran, whenever the test got to look at them.
    Instant quietStored = storedAt(quietJob);
    long burstBefore = burstJobs.stream().filter(j -> storedAt(j).isBefore(quietStored)).count();

    assertThat(burstBefore)
        .as("burst jobs finished before the quiet tenant's job")
        .isLessThanOrEqualTo(4);
  }
}
