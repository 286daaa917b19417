package dev.polyrun.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.polyrun.coordinator.AdmissionOptions;
import dev.polyrun.proto.v1.CancelJobRequest;
import dev.polyrun.proto.v1.ExecuteRequest;
import dev.polyrun.proto.v1.SourceFile;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Admission control against a real backlog: a one-slot worker kept busy by a sleeping job, so the
 * jobs after it wait in Redis.
 */
class AdmissionIT {
  private static ExecuteRequest python(String source) {
    return ExecuteRequest.newBuilder().setLanguage("python")
        .addFiles(SourceFile.newBuilder().setContent(ByteString.copyFromUtf8(source))).build();
  }

  private static void cancelAll(LocalCluster cluster, List<String> jobs) {
    jobs.forEach(id -> cluster.blocking().cancelJob(CancelJobRequest.newBuilder().setJobId(id).build()));
  }

  @Test
  void aDeepQueueRefusesNewSubmissionsFastWithARetryDelay() throws Exception {
    AdmissionOptions admission = new AdmissionOptions(2, Duration.ZERO, Duration.ofSeconds(7), Duration.ofSeconds(1));
    try (LocalCluster cluster = LocalCluster.builder().workerSlots(1).coordinator(b -> b.admission(admission)).start()) {
      List<String> jobs = new ArrayList<>();
      try {
        for (int i = 0; i < 3; i++) {
          jobs.add(cluster.blocking().submit(LocalCluster.asSubmit(python("import time\ntime.sleep(60)"))).getJobId());
        }
        Thread.sleep(600);

        long started = System.nanoTime();
        assertThatThrownBy(() -> cluster.blocking().submit(LocalCluster.asSubmit(python("print(1)"))))
            .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
              assertThat(e.getStatus().getDescription()).startsWith(
                  "the cluster is overloaded: 2 jobs are waiting for a worker (at most 2 may wait) (retry in 7.0 s)");
              assertThat(StatusDetails.retryDelay(e)).isEqualTo(Duration.ofSeconds(7));
            });
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
      } finally {
        cancelAll(cluster, jobs);
      }
    }
  }

  @Test
  void anOldQueueRefusesNewSubmissionsUntilItDrains() throws Exception {
    AdmissionOptions admission = new AdmissionOptions(0, Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(1));
    try (LocalCluster cluster = LocalCluster.builder().workerSlots(1).coordinator(b -> b.admission(admission)).start()) {
      List<String> jobs = new ArrayList<>();
      try {
        jobs.add(cluster.blocking().submit(LocalCluster.asSubmit(python("import time\ntime.sleep(60)"))).getJobId());
        jobs.add(cluster.blocking().submit(LocalCluster.asSubmit(python("print('waits behind the sleeper')"))).getJobId());
        Thread.sleep(1600);

        assertThatThrownBy(() -> cluster.blocking().submit(LocalCluster.asSubmit(python("print(1)"))))
            .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
              assertThat(e.getStatus().getDescription()).contains("the oldest waiting job has waited")
                  .contains("(at most 1.0 s)");
              assertThat(StatusDetails.retryDelay(e)).isEqualTo(Duration.ofSeconds(2));
            });

        cancelAll(cluster, jobs);
        Thread.sleep(1500);

        assertThat(cluster.blocking().submit(LocalCluster.asSubmit(python("print('admitted again')"))).getJobId()).isNotEmpty();
      } finally {
        cancelAll(cluster, jobs);
      }
    }
  }
}
