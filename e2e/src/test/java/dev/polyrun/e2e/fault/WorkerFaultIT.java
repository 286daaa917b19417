package dev.polyrun.e2e.fault;

import static org.assertj.core.api.Assertions.assertThat;

import dev.polyrun.proto.v1.Job;
import dev.polyrun.proto.v1.JobEvent;
import dev.polyrun.proto.v1.JobState;
import dev.polyrun.proto.v1.SourceFile;
import dev.polyrun.proto.v1.SubmitRequest;
import dev.polyrun.proto.v1.Verdict;
import dev.polyrun.queue.testing.Await;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Workers killed, paused and stopped with jobs in flight: every job still ends once, nothing is
 * left behind.
 */
@Tag("fault")
class WorkerFaultIT {
  private static final Duration FINAL = Duration.ofSeconds(60);
  private FaultCluster cluster;

  @BeforeEach
  void start() throws Exception {
    cluster = new FaultCluster();
  }

  @AfterEach
  void stop() throws Exception {
    cluster.close();
  }

  /** Whether a program of the worker on {@code stateDir} still runs on the host. */
  private boolean processLeft(String stateDir) {
    try {
      return cluster.leftovers(stateDir).stream().anyMatch(l -> l.startsWith("process"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The worker's metrics, as Prometheus scrapes them from {@code port}. */
  private static String scrape(int port) {
    try (var http = java.net.http.HttpClient.newHttpClient()) {
      return http.send(
              java.net.http.HttpRequest.newBuilder(
                      java.net.URI.create("http://127.0.0.1:" + port + "/metrics"))
                  .build(),
              java.net.http.HttpResponse.BodyHandlers.ofString())
          .body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static long results(List<JobEvent> events) {
    return events.stream().filter(JobEvent::hasResult).count();
  }

  private static String stdoutOfAttempt(List<JobEvent> events, int attempt) {
    StringBuilder out = new StringBuilder();
    int current = 0;
    for (JobEvent e : events) {
      if (e.hasState() && e.getState().getAttempt() > 0) {
        current = e.getState().getAttempt();
      }
      if (e.hasStdout() && current == attempt) {
        out.append(e.getStdout().toStringUtf8());
      }
    }
    return out.toString();
  }

  /**
   * Kills the worker holding the job in {@code state}, restarts it on the same host, and checks the
   * outcome.
   */
  private void killDuring(SubmitRequest request, JobState state, String expectedStdout)
      throws Exception {
    JavaProcess first = cluster.worker("host-a");
    String id = cluster.queue.submit(request);
    cluster.awaitState(id, state, 1, Duration.ofSeconds(30));

    first.kill9();
    assertThat(cluster.queue.getJob(id).orElseThrow())
        .as("the job when its worker died")
        .returns(state, Job::getState)
        .returns(1, Job::getAttempt);
    cluster.worker("host-a");

    Job job = cluster.awaitFinal(id, FINAL);
    assertThat(job.getResult().getVerdict()).isEqualTo(Verdict.VERDICT_OK);
    assertThat(job.getAttempt()).isEqualTo(2);
    List<JobEvent> events = cluster.events(id);
    assertThat(results(events)).isEqualTo(1);
    assertThat(stdoutOfAttempt(events, 2)).isEqualTo(expectedStdout);
    // the worker acks right after it stores the result: give the ack a moment on a busy machine
    Await.until(
        Duration.ofSeconds(10),
        () -> cluster.queue.depth().pending() == 0,
        "no delivery is pending");
    assertThat(cluster.queue.depth().pending()).isZero();
    assertThat(cluster.leftovers("host-a")).isEmpty();
  }

  @Test
  void workerKilledDuringTheRunIsReplacedAndTheJobEndsOnceWithNothingLeft() throws Exception {
    killDuring(
        FaultCluster.python("import time\ntime.sleep(3)\nprint('done')"),
        JobState.JOB_STATE_RUNNING,
        "done\n");
  }

  @Test
  void aKilledWorkerTakesItsRunningProgramsWithItEvenBeforeItRestarts() throws Exception {
    JavaProcess worker = cluster.worker("host-a");
    String id =
        cluster.queue.submit(
            FaultCluster.python(
                "import os, time\nif os.fork() == 0:\n  time.sleep(600)\ntime.sleep(600)"));
    cluster.awaitState(id, JobState.JOB_STATE_RUNNING, 1, Duration.ofSeconds(30));
    // RUNNING is published as the run stage starts: the program's process follows it
    Await.until(
        Duration.ofSeconds(10), () -> processLeft("host-a"), "the program runs on the host");
    assertThat(cluster.leftovers("host-a")).anyMatch(l -> l.startsWith("process"));

    worker.kill9();

    Await.until(
        Duration.ofSeconds(10),
        () -> !processLeft("host-a"),
        "the killed worker's programs are gone");
    assertThat(cluster.leftovers("host-a")).noneMatch(l -> l.startsWith("process"));
    cluster.worker("host-a");
    assertThat(cluster.leftovers("host-a")).as("swept at restart").isEmpty();
  }

  @Test
  void workerKilledDuringCompilationIsReplacedAndTheJobEndsOnce() throws Exception {
    SubmitRequest c =
        SubmitRequest.newBuilder()
            .setLanguage("c")
            .addFiles(
                SourceFile.newBuilder()
                    .setContent(com.google.protobuf.ByteString.copyFromUtf8(slowToCompile())))
            .build();
    killDuring(c, JobState.JOB_STATE_COMPILING, "compiled\n");
  }

  /**
   * A C program gcc -O2 takes seconds to compile (500 looping functions: ~3 s on one core with gcc
   * 14), so the kill lands while the job is COMPILING even on a loaded machine; a hello world
   * compiles in a fraction of a second. It stays well inside the C compile limit (10 s cpu).
   */
  private static String slowToCompile() {
    StringBuilder source = new StringBuilder("#include <stdio.h>\n");
    for (int f = 0; f < 500; f++) {
      source.append(
          String.format(
              "int f%d(int x){int s=%d;for(int i=0;i<x;i++){s+=(i*%d)^(s>>3);"
                  + "if(s&1)s-=i;else s+=x;}return s;}\n",
              f, f, f + 3));
    }
    return source.append("int main(void){puts(\"compiled\");return 0;}\n").toString();
  }

  @Test
  void workerKilledWhileStreamingIsReplacedAndTheRerunStreamsEverything() throws Exception {
    killDuring(
        FaultCluster.python(
            "import time\nfor i in range(30):\n  print(i, flush=True)\n  time.sleep(0.1)"),
        JobState.JOB_STATE_RUNNING,
        java.util.stream.IntStream.range(0, 30)
            .mapToObj(i -> i + "\n")
            .collect(Collectors.joining()));
  }

  @Test
  void aWorkerKilledBetweenStoringItsResultAndAckingLeavesOneResultAndNoRerun() throws Exception {
    // The state a worker leaves when it dies after the result is stored and before the ack:
    // the delivery pending under its consumer, the job final.
    String id = cluster.queue.submit(FaultCluster.python("print('ran')"));
    var delivery = cluster.queue.take("worker-that-died", Duration.ofSeconds(1)).orElseThrow();
    cluster.queue.complete(
        delivery,
        1,
        dev.polyrun.proto.v1.Result.newBuilder().setVerdict(Verdict.VERDICT_OK).build(),
        JobState.JOB_STATE_DONE);
    assertThat(cluster.queue.depth().pending()).isEqualTo(1);

    cluster.worker("host-a");
    Await.until(
        Duration.ofSeconds(30),
        () -> cluster.queue.depth().pending() == 0,
        "the next worker acknowledges the delivery");

    assertThat(cluster.queue.depth().pending()).as("acknowledged by the next worker").isZero();
    Job job = cluster.queue.getJob(id).orElseThrow();
    assertThat(job.getAttempt()).as("not run again").isEqualTo(1);
    assertThat(results(cluster.events(id))).isEqualTo(1);
  }

  @Test
  void aPausedWorkerThatWakesUpAfterItsJobWasTakenOverChangesNothing() throws Exception {
    JavaProcess sleeper = cluster.worker("host-a");
    String id =
        cluster.queue.submit(
            FaultCluster.python(
                "import time\nprint('start', flush=True)\ntime.sleep(4)\nprint('end')"));
    cluster.awaitState(id, JobState.JOB_STATE_RUNNING, 1, Duration.ofSeconds(30));
    sleeper.signal("STOP");
    cluster.worker("host-b");

    Job job = cluster.awaitFinal(id, FINAL);
    List<JobEvent> before = cluster.events(id);
    sleeper.signal("CONT");
    Thread.sleep(6000);

    assertThat(job.getAttempt()).isEqualTo(2);
    List<JobEvent> after = cluster.events(id);
    assertThat(after).isEqualTo(before);
    assertThat(results(after)).isEqualTo(1);
    assertThat(cluster.queue.getJob(id).orElseThrow().getResult()).isEqualTo(job.getResult());
    assertThat(sleeper.isAlive()).isTrue();
    String next = cluster.queue.submit(FaultCluster.python("print('still works')"));
    assertThat(cluster.awaitFinal(next, FINAL).getResult().getVerdict())
        .isEqualTo(Verdict.VERDICT_OK);
  }

  @Test
  void aJobThatKeepsKillingItsWorkersIsDeadLetteredWhileOthersFlow() throws Exception {
    String poison = cluster.queue.submit(FaultCluster.python("import time\ntime.sleep(60)"));
    for (int attempt = 1; attempt <= 3; attempt++) {
      JavaProcess w = cluster.worker("host-" + attempt);
      cluster.awaitState(poison, JobState.JOB_STATE_RUNNING, attempt, Duration.ofSeconds(30));
      w.kill9();
    }
    cluster.worker("host-4");
    List<String> others = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      others.add(cluster.queue.submit(FaultCluster.python("print(" + i + ")")));
    }

    Job dead = cluster.awaitFinal(poison, FINAL);
    assertThat(dead.getResult().getVerdict()).isEqualTo(Verdict.VERDICT_INTERNAL_ERROR);
    assertThat(dead.getResult().getMessage()).contains("dead-letter");
    for (String other : others) {
      assertThat(cluster.awaitFinal(other, FINAL).getResult().getVerdict())
          .isEqualTo(Verdict.VERDICT_OK);
    }
  }

  @Test
  void workerMetricsCountJobsByVerdictReclaimsAndBusySlots() throws Exception {
    int port = dev.polyrun.queue.testing.TestRedis.freePort();
    JavaProcess first = cluster.worker("host-a");
    String reclaimed =
        cluster.queue.submit(FaultCluster.python("import time\ntime.sleep(2)\nprint('x')"));
    cluster.awaitState(reclaimed, JobState.JOB_STATE_RUNNING, 1, Duration.ofSeconds(30));
    first.kill9();
    cluster.worker("host-a", Map.of("POLYRUN_WORKER_METRICS_PORT", Integer.toString(port)));
    cluster.awaitFinal(reclaimed, FINAL);
    String failing = cluster.queue.submit(FaultCluster.python("raise SystemExit(4)"));
    cluster.awaitFinal(failing, FINAL);

    // the worker counts a job after it stored the result and acknowledged the delivery: the
    // record says DONE a moment before the counter moves
    String metrics =
        Await.value(
            Duration.ofSeconds(10),
            () ->
                Optional.of(scrape(port))
                    .filter(
                        m ->
                            Pattern.compile(
                                    "polyrun_worker_jobs_total\\{[^}]*verdict=\"RUNTIME_ERROR\"[^}]*\\} 1")
                                .matcher(m)
                                .find()),
            "the worker counted the failing job");

    assertThat(metrics)
        .containsPattern("polyrun_worker_jobs_total\\{[^}]*verdict=\"OK\"[^}]*\\} 1")
        .containsPattern("polyrun_worker_jobs_total\\{[^}]*verdict=\"RUNTIME_ERROR\"[^}]*\\} 1")
        .containsPattern("polyrun_worker_reclaims_total(\\{[^}]*\\})? 1")
        .contains("polyrun_worker_slots_busy")
        .contains("polyrun_worker_dead_letters")
        .contains("polyrun_worker_stage_duration_seconds");
  }

  @Test
  void sigtermLetsRunningJobsFinishThenExitsZero() throws Exception {
    JavaProcess worker = cluster.worker("host-a", Map.of("POLYRUN_WORKER_GRACE_PERIOD", "15s"));
    String id =
        cluster.queue.submit(FaultCluster.python("import time\ntime.sleep(2)\nprint('finished')"));
    cluster.awaitState(id, JobState.JOB_STATE_RUNNING, 1, Duration.ofSeconds(30));
    String queued = cluster.queue.submit(FaultCluster.python("print('later')"));

    worker.signal("TERM");

    assertThat(worker.awaitExit(Duration.ofSeconds(20))).isZero();
    Job job = cluster.queue.getJob(id).orElseThrow();
    assertThat(job.getResult().getVerdict()).isEqualTo(Verdict.VERDICT_OK);
    assertThat(cluster.queue.getJob(queued).orElseThrow().getState())
        .as("no new job taken")
        .isEqualTo(JobState.JOB_STATE_QUEUED);
    assertThat(cluster.leftovers("host-a")).isEmpty();
  }

  @Test
  void sigtermPastTheGracePeriodReleasesTheJobToAnotherWorker() throws Exception {
    JavaProcess worker = cluster.worker("host-a", Map.of("POLYRUN_WORKER_GRACE_PERIOD", "1s"));
    String id =
        cluster.queue.submit(FaultCluster.python("import time\ntime.sleep(8)\nprint('finished')"));
    cluster.awaitState(id, JobState.JOB_STATE_RUNNING, 1, Duration.ofSeconds(30));

    worker.signal("TERM");
    assertThat(worker.awaitExit(Duration.ofSeconds(15))).isZero();
    assertThat(cluster.leftovers("host-a")).isEmpty();
    cluster.worker("host-b");

    Job job = cluster.awaitFinal(id, FINAL);
    assertThat(job.getResult().getVerdict()).isEqualTo(Verdict.VERDICT_OK);
    assertThat(job.getAttempt()).isEqualTo(2);
  }

  @Test
  void aJobRunAgainAfterItsWorkerDiedShowsItsOutputOnceLiveStoredAndReplayed() throws Exception {
    int port = dev.polyrun.queue.testing.TestRedis.freePort();
    cluster.coordinator(port);
    JavaProcess first = cluster.worker("host-a");
    io.grpc.ManagedChannel channel =
        io.grpc.ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    try {
      var stub = dev.polyrun.proto.v1.ExecutorServiceGrpc.newBlockingStub(channel);
      java.util.Iterator<JobEvent> live =
          stub.execute(
              FaultCluster.executePython(
                  "import time\nprint('begin', flush=True)\ntime.sleep(3)\nprint('end')"));
      List<JobEvent> seen = new ArrayList<>();
      while (seen.stream().noneMatch(JobEvent::hasStdout)) {
        seen.add(live.next());
      }
      first.kill9();
      cluster.worker("host-a");
      live.forEachRemaining(seen::add);
      String id = seen.get(0).getJobId();

      assertThat(seen)
          .filteredOn(JobEvent::hasAttemptAbandoned)
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.getAttemptAbandoned().getAbandonedAttempt()).isEqualTo(1);
                assertThat(e.getAttemptAbandoned().getNewAttempt()).isEqualTo(2);
              });
      assertThat(stdoutAfterTheLastAbandonment(seen))
          .as("what a live client keeps")
          .isEqualTo("begin\nend\n");
      assertThat(
              stub.getJob(dev.polyrun.proto.v1.GetJobRequest.newBuilder().setJobId(id).build())
                  .getResult()
                  .getStdout()
                  .toStringUtf8())
          .as("the stored result")
          .isEqualTo("begin\nend\n");
      List<JobEvent> replayed = new ArrayList<>();
      stub.streamEvents(dev.polyrun.proto.v1.StreamEventsRequest.newBuilder().setJobId(id).build())
          .forEachRemaining(replayed::add);
      assertThat(replayed).noneMatch(JobEvent::hasAttemptAbandoned);
      assertThat(
              replayed.stream()
                  .filter(JobEvent::hasStdout)
                  .map(e -> e.getStdout().toStringUtf8())
                  .collect(Collectors.joining()))
          .as("the replay")
          .isEqualTo("begin\nend\n");
    } finally {
      channel.shutdownNow().awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
    }
  }

  private static String stdoutAfterTheLastAbandonment(List<JobEvent> events) {
    StringBuilder out = new StringBuilder();
    for (JobEvent e : events) {
      if (e.hasAttemptAbandoned()) {
        out.setLength(0);
      } else if (e.hasStdout()) {
        out.append(e.getStdout().toStringUtf8());
      }
    }
    return out.toString();
  }
}
