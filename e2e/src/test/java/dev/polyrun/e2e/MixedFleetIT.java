package dev.polyrun.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.polyrun.proto.v1.ExecuteRequest;
import dev.polyrun.proto.v1.JobEvent;
import dev.polyrun.proto.v1.SourceFile;
import dev.polyrun.proto.v1.Verdict;
import dev.polyrun.queue.internal.Keys;
import dev.polyrun.queue.internal.RedisClients;
import dev.polyrun.queue.testing.Await;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.UnifiedJedis;

/**
 * A mixed fleet on a Redis Cluster: a worker with only Python's default version, one with only C,
 * one with only Python 3.11. Each language's (and version's) jobs run on the worker that has its
 * image; a language or version no live worker runs is refused with its name.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MixedFleetIT {
  @RegisterExtension
  static final ClusterExtension cluster =
      ClusterExtension.of(
          b ->
              b.redis(LocalCluster.RedisTopology.CLUSTER)
                  .workerServing("python@3.13")
                  .workerServing("c")
                  .workerServing("python@3.11"));

  private static UnifiedJedis raw;

  @BeforeAll
  static void connect() {
    raw = RedisClients.create(cluster.get().redisSettings, Duration.ZERO);
  }

  @AfterAll
  static void disconnect() {
    raw.close();
  }

  private static ExecuteRequest program(String language, String source) {
    return ExecuteRequest.newBuilder()
        .setLanguage(language)
        .addFiles(SourceFile.newBuilder().setContent(ByteString.copyFromUtf8(source)))
        .build();
  }

  private static ExecuteRequest python(String version) {
    return program("python", "import sys; print('%d.%d' % sys.version_info[:2])").toBuilder()
        .setVersion(version)
        .build();
  }

  /** Runs the request and returns the id of the worker that ran it (the job record says). */
  private static String ranOn(ExecuteRequest request) {
    return ranOn(request, null);
  }

  /**
   * As {@link #ranOn(ExecuteRequest)}, checking the program's output when {@code stdout} is set.
   */
  private static String ranOn(ExecuteRequest request, String stdout) {
    List<JobEvent> events = new ArrayList<>();
    cluster.blocking().execute(request).forEachRemaining(events::add);
    assertThat(events.get(events.size() - 1).getResult().getVerdict())
        .isEqualTo(Verdict.VERDICT_OK);
    if (stdout != null) {
      StringBuilder printed = new StringBuilder();
      events.stream()
          .filter(JobEvent::hasStdout)
          .forEach(e -> printed.append(e.getStdout().toStringUtf8()));
      assertThat(printed.toString()).isEqualTo(stdout);
    }
    String jobId = events.get(0).getJobId();
    return raw.hget(new Keys("polyrun").job(jobId), "worker");
  }

  @Test
  @Order(1)
  void eachLanguagesJobsRunOnTheWorkerThatHasItsImage() {
    List<String> pythonWorkers = new ArrayList<>();
    List<String> cWorkers = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      pythonWorkers.add(ranOn(program("python", "print(" + i + ")")));
      cWorkers.add(ranOn(program("c", "int main(){return 0;}")));
    }

    assertThat(pythonWorkers).containsOnly("test-worker");
    assertThat(cWorkers).containsOnly("test-worker-1");
  }

  @Test
  @Order(1)
  void eachVersionsJobsRunOnTheWorkerThatHasThatVersion() {
    for (int i = 0; i < 3; i++) {
      assertThat(ranOn(python("3.11"), "3.11\n")).isEqualTo("test-worker-2");
      assertThat(ranOn(python(""), "3.13\n")).isEqualTo("test-worker");
      assertThat(ranOn(python("3.13"), "3.13\n")).as("the default named").isEqualTo("test-worker");
    }
  }

  @Test
  @Order(2)
  void aLanguageNoWorkerHasIsRefusedWithItsName() {
    assertThatThrownBy(
            () -> cluster.blocking().submit(LocalCluster.asSubmit(program("java", "class A {}"))))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
              assertThat(e.getStatus().getDescription()).contains("'java'");
            });
  }

  @Test
  @Order(3)
  void aKnownLanguageWhoseWorkersAreGoneIsRefusedAsFailedPreconditionNamingIt() throws Exception {
    cluster
        .get()
        .workers
        .get(1)
        .close(); // the only C worker stops; its language stays known for a while

    StatusRuntimeException refused = awaitRefusal(program("c", "int main(){return 0;}"));

    assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(refused.getStatus().getDescription())
        .startsWith("language 'c': no live worker runs it");
    assertThat(StatusDetails.detail(refused, com.google.rpc.ErrorInfo.class).getReason())
        .isEqualTo("LANGUAGE_NOT_SERVED");
    assertThat(
            cluster
                .blocking()
                .submit(LocalCluster.asSubmit(program("python", "print(1)")))
                .getJobId())
        .as("python is still served")
        .isNotEmpty();
  }

  @Test
  @Order(4)
  void withoutTheDefaultVersionsWorkerAnUnnamedVersionIsRefusedAndOthersStillRun()
      throws Exception {
    cluster.get().workers.get(0).close(); // the worker of Python's default version stops

    StatusRuntimeException refused = awaitRefusal(python(""));

    assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(refused.getStatus().getDescription()).startsWith("language 'python'");
    assertThat(ranOn(python("3.11"), "3.11\n"))
        .as("3.11 is still served")
        .isEqualTo("test-worker-2");
  }

  /** Submits until the coordinator sees that no worker runs the language (a heartbeat window). */
  private static StatusRuntimeException awaitRefusal(ExecuteRequest request) {
    return Await.value(
        Duration.ofSeconds(40),
        () -> {
          try {
            String accepted = cluster.blocking().submit(LocalCluster.asSubmit(request)).getJobId();
            cluster.get().queue.cancel(accepted);
            return Optional.empty();
          } catch (StatusRuntimeException e) {
            return Optional.of(e);
          }
        },
        "a language without a live worker is refused");
  }
}
