package dev.polyrun.e2e.fault;

import static org.assertj.core.api.Assertions.assertThat;

import dev.polyrun.proto.v1.JobEvent;
import dev.polyrun.queue.testing.Await;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/**
 * The CLI, as a user runs it with its output going to a file, while the job's worker is killed: the
 * program's output is written once, the final run's, and a live run says on stderr that the output
 * starts over.
 */
@Tag("fault")
class CliFaultIT {
  private static final Path ROOT =
      Path.of(System.getProperty("polyrun.root", "..")).toAbsolutePath().normalize();
  private static final String COUNT =
      "import time\nfor i in range(30):\n  print(i, flush=True)\n  time.sleep(0.1)\n";
  private static final String COUNTED =
      IntStream.range(0, 30).mapToObj(i -> i + "\n").collect(Collectors.joining());
  private FaultCluster cluster;
  private int grpcPort;

  @BeforeEach
  void start() throws Exception {
    cluster = new FaultCluster();
    grpcPort = dev.polyrun.queue.testing.TestRedis.freePort();
    cluster.coordinator(grpcPort);
  }

  @AfterEach
  void stop() throws Exception {
    cluster.close();
  }

  private record Run(Process process, Path out, Path err) {}

  private Run polyrun(String... args) throws Exception {
    Files.writeString(cluster.dir.resolve("count.py"), COUNT);
    List<String> command = new ArrayList<>(List.of(ROOT.resolve("bin/polyrun").toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(cluster.dir.toFile());
    pb.environment().put("POLYRUN_ADDR", "127.0.0.1:" + grpcPort);
    Path out = Files.createTempFile(cluster.dir, "out", ".txt");
    Path err = Files.createTempFile(cluster.dir, "err", ".txt");
    Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    p.getOutputStream().close();
    return new Run(p, out, err);
  }

  /** The one job the CLI submitted (the cluster holds no other). */
  private String theJob() throws Exception {
    try (RedisClient redis = RedisClient.create(cluster.redis.host(), cluster.redis.port())) {
      Set<String> keys =
          Await.value(
              Duration.ofSeconds(30),
              () -> Optional.of(redis.keys("*:events:*")).filter(k -> !k.isEmpty()),
              "the CLI submits a job");
      assertThat(keys).as("one job's events").hasSize(1);
      return keys.iterator().next().substring(keys.iterator().next().lastIndexOf(':') + 1);
    }
  }

  /**
   * Kills the worker once the job's first attempt has printed part of its output; starts another
   * worker on its host. Returns the job's id.
   */
  private String killTheWorkerMidRun(JavaProcess worker) throws Exception {
    String job = theJob();
    Await.until(
        Duration.ofSeconds(30), () -> printed(job), "the first attempt of job " + job + " prints");
    assertThat(cluster.events(job)).as("the first attempt printed").anyMatch(JobEvent::hasStdout);
    worker.kill9();
    cluster.worker("host-a");
    return job;
  }

  /** Whether the job has printed to stdout (the queue read retries while Redis restarts). */
  private boolean printed(String job) {
    try {
      return cluster.events(job).stream().anyMatch(JobEvent::hasStdout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The job ran twice: its events hold the first attempt's abandonment. */
  private void assertRanAgain(String job) throws Exception {
    assertThat(cluster.events(job)).anyMatch(JobEvent::hasAttemptAbandoned);
  }

  private static String finished(Run run) throws Exception {
    assertThat(run.process().waitFor(90, TimeUnit.SECONDS)).as("polyrun finished").isTrue();
    String err = Files.readString(run.err(), StandardCharsets.UTF_8);
    assertThat(run.process().exitValue()).as(err).isZero();
    return err;
  }

  @Test
  void outputToAFileHoldsTheFinalRunsOutputOnceWhenTheWorkerIsKilled() throws Exception {
    JavaProcess worker = cluster.worker("host-a");
    Run run = polyrun("run", "count.py"); // the default: to a file, the final run's output

    String job = killTheWorkerMidRun(worker);

    finished(run);
    assertRanAgain(job);
    assertThat(Files.readString(run.out(), StandardCharsets.UTF_8)).isEqualTo(COUNTED);
  }

  @Test
  void liveOutputSaysOnStderrThatTheRunStartsOverAndEndsWithTheWholeFinalRun() throws Exception {
    JavaProcess worker = cluster.worker("host-a");
    Run run = polyrun("run", "--output", "live", "count.py");

    String job = killTheWorkerMidRun(worker);

    String err = finished(run);
    assertRanAgain(job);
    assertThat(err).contains("polyrun: the job's worker was lost; running it again (attempt 2");
    assertThat(Files.readString(run.out(), StandardCharsets.UTF_8)).endsWith(COUNTED);
  }
}
