package dev.polyrun.e2e.fault;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.polyrun.client.ExecutionListener;
import dev.polyrun.client.PolyrunClient;
import dev.polyrun.client.PolyrunException;
import dev.polyrun.proto.v1.ExecuteRequest;
import dev.polyrun.proto.v1.Job;
import dev.polyrun.proto.v1.JobEvent;
import dev.polyrun.proto.v1.JobState;
import dev.polyrun.proto.v1.Result;
import dev.polyrun.proto.v1.Verdict;
import dev.polyrun.queue.testing.Await;
import dev.polyrun.queue.testing.TestRedis;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/**
 * The promise users rely on, checked from outside: jobs submitted through the public gRPC API with
 * idempotency keys and followed live, while workers are killed and paused, Redis is restarted and
 * stalled past its clients' socket timeout, and the coordinator is killed. Every job's output is
 * known ({@code begin i}, a pause, {@code end i}) and checked byte for byte as the client saw it
 * live, in the stored result, and in a replay of the stream after the job ended.
 */
@Tag("fault")
class ChaosIT {
  private static final int JOBS = 60;
  private static final int WORKERS = 3;
  private static final int IN_FLIGHT = 8;
  private static final Duration CHAOS = Duration.ofSeconds(40);

  /** Chaos goes on past {@link #CHAOS} until every kind of fault happened, but not past this. */
  private static final Duration CHAOS_CAP = Duration.ofMinutes(5);

  private FaultCluster cluster;
  private PolyrunClient client;
  private int port;
  private volatile JavaProcess coordinator;

  @BeforeEach
  void start() throws Exception {
    // appendfsync always: what Redis acknowledged survives its kill -9 (the fsync durability)
    cluster = new FaultCluster("--appendfsync", "always");
    port = TestRedis.freePort();
    coordinator = cluster.coordinator(port);
    client =
        PolyrunClient.builder("127.0.0.1:" + port)
            .maxResumes(30)
            .resumeBackoff(Duration.ofMillis(200))
            .build();
  }

  @AfterEach
  void stop() throws Exception {
    if (client != null) {
      client.close();
    }
    cluster.close();
  }

  /** A program whose output is known: "begin i", a pause, "end i"; and "note i" on stderr. */
  private static ExecuteRequest program(int i, Random random) {
    double pause = 0.3 + random.nextInt(12) / 10.0;
    return FaultCluster.executePython(
            "import sys, time\nprint('begin "
                + i
                + "', flush=True)\n"
                + "print('note "
                + i
                + "', file=sys.stderr, flush=True)\ntime.sleep("
                + pause
                + ")\nprint('end "
                + i
                + "')")
        .toBuilder()
        .setIdempotencyKey("chaos-" + i)
        .build();
  }

  private static String expectedStdout(int i) {
    return "begin " + i + "\nend " + i + "\n";
  }

  /** What a client shows: the output since the last abandoned attempt. */
  private static final class Screen implements ExecutionListener {
    final ByteString.Output stdout = ByteString.newOutput();
    final ByteString.Output stderr = ByteString.newOutput();
    volatile String jobId;
    int abandoned;

    @Override
    public void onJobId(String id) {
      jobId = id;
    }

    @Override
    public void onStdout(ByteString chunk) {
      stdout.write(chunk.toByteArray(), 0, chunk.size());
    }

    @Override
    public void onStderr(ByteString chunk) {
      stderr.write(chunk.toByteArray(), 0, chunk.size());
    }

    @Override
    public void onAttemptAbandoned(int abandonedAttempt, int newAttempt, String reason) {
      abandoned++;
      stdout.reset();
      stderr.reset();
    }
  }

  /** One job as a user sees it: submitted with its key and followed live until its result. */
  private record Run(
      int index, Set<String> jobIds, String liveStdout, String liveStderr, Result result) {}

  /** Executes with the job's key until a result arrives, as a client that retries would. */
  private Run run(int i, ExecuteRequest request) throws InterruptedException {
    Set<String> ids = ConcurrentHashMap.newKeySet();
    long pause = 200;
    while (true) {
      Screen screen = new Screen();
      try {
        Result result = client.execute(request, screen);
        ids.add(screen.jobId);
        return new Run(
            i,
            ids,
            screen.stdout.toByteString().toStringUtf8(),
            screen.stderr.toByteString().toStringUtf8(),
            result);
      } catch (PolyrunException e) {
        if (screen.jobId != null) {
          ids.add(screen.jobId);
        }
        // UNAVAILABLE: Redis or the coordinator is down; ABORTED: the key's first call is still
        // being submitted; INTERNAL, DEADLINE_EXCEEDED: a call cut by a dying coordinator
        Set<Status.Code> retry =
            Set.of(
                Status.Code.UNAVAILABLE,
                Status.Code.ABORTED,
                Status.Code.INTERNAL,
                Status.Code.DEADLINE_EXCEEDED,
                Status.Code.UNKNOWN,
                Status.Code.CANCELLED);
        if (!retry.contains(e.code())) {
          throw e;
        }
      }
      Thread.sleep(pause);
      pause = Math.min(pause * 2, 2000);
    }
  }

  @Test
  void everyJobEndsOnceWithExactlyItsProgramsOutputDespiteChaos() throws Exception {
    List<JavaProcess> workers = new ArrayList<>();
    for (int w = 0; w < WORKERS; w++) {
      workers.add(cluster.worker("host-" + w));
    }
    Random random = new Random(7);
    List<ExecuteRequest> requests = new ArrayList<>();
    for (int i = 0; i < JOBS; i++) {
      requests.add(program(i, random));
    }
    List<Run> runs = java.util.Collections.synchronizedList(new ArrayList<>());
    List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    Semaphore inFlight = new Semaphore(IN_FLIGHT);
    List<Thread> clients = new ArrayList<>();
    AtomicBoolean chaosOn = new AtomicBoolean(true);
    Thread submitter =
        Thread.ofVirtual()
            .start(
                () -> {
                  long spacing = CHAOS.toMillis() / JOBS;
                  for (int i = 0; i < JOBS; i++) {
                    int index = i;
                    try {
                      inFlight.acquire();
                      clients.add(
                          Thread.ofVirtual()
                              .start(
                                  () -> {
                                    try {
                                      runs.add(run(index, requests.get(index)));
                                    } catch (Throwable t) {
                                      failures.add(t);
                                    } finally {
                                      inFlight.release();
                                    }
                                  }));
                      Thread.sleep(spacing);
                    } catch (InterruptedException e) {
                      return;
                    }
                  }
                });
    Chaos chaos = new Chaos(workers, new Random(42));
    chaos.until(chaosOn, CHAOS, CHAOS_CAP);
    submitter.join();
    for (Thread t : new ArrayList<>(clients)) {
      t.join(Duration.ofMinutes(3));
    }

    Report report = check(runs);
    System.out.println("chaos report: " + report + "; " + chaos);
    assertThat(failures).isEmpty();
    assertThat(runs).hasSize(JOBS);
    assertThat(chaos.counts)
        .as("kills, pauses, redis restarts, redis stalls, coordinator kills")
        .doesNotContain(0);
    assertThat(report.lost).isZero();
    assertThat(report.twoResults).isZero();
    assertThat(report.wrongLive).isZero();
    assertThat(report.wrongStored).isZero();
    assertThat(report.wrongReplay).isZero();
    assertThat(report.twiceInAnAttempt).isZero();
    assertThat(report.keysWithTwoJobs).isZero();
    // a worker killed between its result and its ack leaves its delivery pending until another
    // worker takes it over after the lease
    Await.until(Duration.ofSeconds(30), () -> pending() == 0, "every delivery is acknowledged");
    assertThat(pending()).isZero();
  }

  private long pending() {
    try {
      return cluster.retrying(() -> cluster.queue.depth()).pending();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * The figures of the run, each a count of jobs that broke the promise (0 everywhere when kept).
   */
  private static final class Report {
    int lost;
    int twoResults;
    int wrongLive;
    int wrongStored;
    int wrongReplay;
    int twiceInAnAttempt;
    int keysWithTwoJobs;
    int reruns;
    int jobs;
    final List<String> examples = new ArrayList<>();

    void broke(String what) {
      if (examples.size() < 5) {
        examples.add(what);
      }
    }

    @Override
    public String toString() {
      return jobs
          + " jobs, lost="
          + lost
          + ", two results="
          + twoResults
          + ", wrong output live/stored/replayed="
          + wrongLive
          + "/"
          + wrongStored
          + "/"
          + wrongReplay
          + ", an event twice in one attempt="
          + twiceInAnAttempt
          + ", keys that made two jobs="
          + keysWithTwoJobs
          + ", re-run="
          + reruns
          + (examples.isEmpty() ? "" : " " + examples);
    }
  }

  private Report check(List<Run> runs) throws Exception {
    Report report = new Report();
    report.jobs = runs.size();
    for (Run run : runs) {
      String expected = expectedStdout(run.index());
      if (run.jobIds().size() != 1) {
        report.keysWithTwoJobs++;
        report.broke("key " + run.index() + " made jobs " + run.jobIds());
      }
      String id = run.jobIds().iterator().next();
      Job job = cluster.awaitFinal(id, Duration.ofSeconds(60));
      if (job.getState() != JobState.JOB_STATE_DONE
          || job.getResult().getVerdict() != Verdict.VERDICT_OK) {
        report.lost++;
        report.broke("job " + id + " ended " + job.getState() + " " + job.getResult().getMessage());
      }
      report.reruns += job.getAttempt() > 1 ? 1 : 0;
      if (!run.liveStdout().equals(expected)
          || !run.liveStderr().equals("note " + run.index() + "\n")) {
        report.wrongLive++;
        report.broke("job " + id + " live: " + run.liveStdout().replace("\n", "|"));
      }
      Result stored = client.getJob(id).getResult();
      if (!stored.getStdout().toStringUtf8().equals(expected)) {
        report.wrongStored++;
        report.broke(
            "job " + id + " stored: " + stored.getStdout().toStringUtf8().replace("\n", "|"));
      }
      Screen replay = new Screen();
      client.streamEvents(id, "", replay);
      if (!replay.stdout.toByteString().toStringUtf8().equals(expected) || replay.abandoned > 0) {
        report.wrongReplay++;
        report.broke(
            "job "
                + id
                + " replayed: "
                + replay.stdout.toByteString().toStringUtf8().replace("\n", "|"));
      }
      List<JobEvent> raw = cluster.events(id);
      if (raw.stream().filter(JobEvent::hasResult).count() != 1) {
        report.twoResults++;
      }
      if (!eachAttemptPrintedAPrefix(raw, expected)) {
        report.twiceInAnAttempt++;
        report.broke(
            "job "
                + id
                + " events: "
                + raw.stream()
                    .filter(JobEvent::hasStdout)
                    .map(
                        e -> e.getAttempt() + ":" + e.getStdout().toStringUtf8().replace("\n", "|"))
                    .toList());
      }
    }
    try (RedisClient redis = RedisClient.create(cluster.redis.host(), cluster.redis.port())) {
      long stored = redis.keys("polyrun:*:job:*").size();
      if (stored != runs.size()) {
        report.keysWithTwoJobs += (int) Math.max(1, stored - runs.size());
        report.broke(stored + " jobs stored for " + runs.size() + " keys");
      }
    }
    return report;
  }

  /**
   * Every attempt's stdout, read from the raw stream, is a prefix of the program's (no chunk
   * twice).
   */
  private static boolean eachAttemptPrintedAPrefix(List<JobEvent> events, String expected) {
    java.util.Map<Integer, StringBuilder> byAttempt = new java.util.TreeMap<>();
    for (JobEvent e : events) {
      if (e.hasStdout()) {
        byAttempt
            .computeIfAbsent(e.getAttempt(), a -> new StringBuilder())
            .append(e.getStdout().toStringUtf8());
      }
    }
    return byAttempt.values().stream().allMatch(out -> expected.startsWith(out.toString()));
  }

  /**
   * Faults in turn every 1.5-3 s: kill -9 a worker (and start its replacement on the same host),
   * pause one past the lease, restart Redis (kill -9), stall Redis past the socket timeout, kill -9
   * the coordinator (and start it again on the same port).
   */
  private final class Chaos {
    private static final String[] NAMES = {
      "worker kills", "worker pauses", "redis restarts", "redis stalls", "coordinator kills"
    };
    final int[] counts = new int[NAMES.length];
    private final List<JavaProcess> workers;
    private final Random random;

    Chaos(List<JavaProcess> workers, Random random) {
      this.workers = workers;
      this.random = random;
    }

    /**
     * Runs rounds for {@code duration} and then on until every kind happened at least once (a busy
     * host can spend most of {@code duration} restarting processes), but never past {@code cap}.
     */
    void until(AtomicBoolean on, Duration duration, Duration cap) throws Exception {
      long start = System.nanoTime();
      for (int round = 0; on.get(); round++) {
        long elapsed = System.nanoTime() - start;
        boolean allHappened = Arrays.stream(counts).noneMatch(c -> c == 0);
        if (elapsed >= cap.toNanos() || (elapsed >= duration.toNanos() && allHappened)) {
          return;
        }
        Thread.sleep(1500 + random.nextInt(1500));
        int pick = random.nextInt(workers.size());
        int kind = round % NAMES.length;
        switch (kind) {
          case 0 -> {
            workers.get(pick).kill9();
            workers.set(pick, cluster.worker("host-" + pick));
          }
          case 1 -> {
            workers.get(pick).signal("STOP");
            Thread.sleep(FaultCluster.LEASE.toMillis() + 1500);
            workers.get(pick).signal("CONT");
          }
          case 2 -> cluster.redis.restart();
          case 3 -> {
            cluster.redis.pause();
            Thread.sleep(6500); // the socket timeout is 5 s: calls in flight fail after their write
            cluster.redis.resume();
          }
          default -> {
            coordinator.kill9();
            coordinator = cluster.coordinator(port);
          }
        }
        counts[kind]++;
      }
    }

    @Override
    public String toString() {
      StringBuilder s = new StringBuilder();
      for (int k = 0; k < NAMES.length; k++) {
        s.append(k == 0 ? "" : ", ").append(NAMES[k]).append('=').append(counts[k]);
      }
      return s.toString();
    }
  }
}
