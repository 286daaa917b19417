package dev.polyrun.loadtest.cli;

import dev.polyrun.client.ExecutionListener;
import dev.polyrun.client.PolyrunClient;
import dev.polyrun.client.PolyrunException;
import dev.polyrun.loadtest.ClusterDescription;
import dev.polyrun.loadtest.Latency;
import dev.polyrun.loadtest.Program;
import dev.polyrun.loadtest.RunReport;
import dev.polyrun.loadtest.internal.Aggregate;
import dev.polyrun.loadtest.internal.ClientPool;
import dev.polyrun.loadtest.internal.Outcome;
import dev.polyrun.loadtest.internal.Proc;
import dev.polyrun.loadtest.internal.Recorder;
import dev.polyrun.loadtest.internal.RedisProbe;
import dev.polyrun.loadtest.internal.Samples;
import dev.polyrun.proto.v1.Result;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * How many result streams a coordinator holds at once: N StreamEvents calls on a few long jobs (or
 * N Execute calls that wait in the queue), how many got their result, and the coordinator's Redis
 * connections while they were open (CLIENT LIST).
 */
@Command(
    name = "streams",
    mixinStandardHelpOptions = true,
    description =
        "Opens N concurrent result streams (StreamEvents on a few sleeping jobs, or --execute: N Execute"
            + " calls) and reports how many got their result, and Redis connections while they were held.")
final class StreamsCommand extends ScenarioCommand {
  @Option(
      names = {"-n", "--streams"},
      defaultValue = "500",
      description = "Streams to open (default: ${DEFAULT-VALUE}).")
  int streams;

  @Option(
      names = "--jobs",
      defaultValue = "2",
      description = "Sleeping jobs the StreamEvents calls follow (default: ${DEFAULT-VALUE}).")
  int jobs;

  @Option(
      names = "--hold",
      defaultValue = "10s",
      converter = DurationConverter.class,
      description =
          "How long each sleeping job runs, so how long streams stay open (default: ${DEFAULT-VALUE}).")
  Duration hold;

  @Option(
      names = "--execute",
      description = "Open each stream with its own Execute of the Python hello instead.")
  boolean execute;

  @Option(
      names = "--timeout",
      defaultValue = "300s",
      converter = DurationConverter.class,
      description = "How long all streams may take to end (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Override
  void run(RunReport.Builder report) throws Exception {
    Optional<ClusterDescription> cluster = cluster();
    Optional<RedisProbe> redis = cluster.map(c -> new RedisProbe(c.redis()));
    int before = redis.map(RedisProbe::otherClients).orElse(-1);
    Recorder recorder = new Recorder();
    int channels = Math.max(connection.channels, (streams + 89) / 90);
    long start = System.nanoTime();
    Held held;
    try (ClientPool pool = new ClientPool(channels, () -> connection.client(3))) {
      held =
          hold(
              pool,
              recorder,
              () ->
                  new Held(
                      redis.map(RedisProbe::otherClients).orElse(-1),
                      cluster
                          .flatMap(c -> c.first("coordinator"))
                          .map(StreamsCommand::figures)
                          .orElse(Map.of())));
    }
    List<Outcome> all = recorder.all();
    long ok = all.stream().filter(Outcome::ok).count();
    report.programs.add(
        new RunReport.ProgramStats(
            (execute ? "execute" : "stream-events") + " streams",
            "python",
            all.size(),
            all.size() - ok,
            0,
            Latency.of(all.stream().filter(Outcome::ok).toList(), Outcome::serviceMs),
            Map.of(),
            null,
            null,
            null,
            Map.of(),
            Map.of(),
            null,
            null));
    report.series = Aggregate.series(all, start);
    errors(report, all);
    report.metric("streams opened", streams, "streams", "none");
    report.metric("streams that got their result", ok, "streams", "higher");
    report.metric("channels", channels, "connections", "none");
    if (before >= 0) {
      report.metric("redis connections of others before", before, "connections", "none");
      report.metric(
          "redis connections of others while held", held.redisClients(), "connections", "lower");
    }
    held.coordinator()
        .forEach((k, v) -> report.metric("coordinator " + k + " while held", v, k, "none"));
    if (held.notOpened() > 0) {
      report.notes.add(
          (streams - held.notOpened())
              + " of "
              + streams
              + " streams had an event when Redis was sampled");
    }
    if (ok < streams) {
      report.failures.add(
          (streams - ok)
              + " of "
              + streams
              + " streams did not get their result: "
              + report.errors);
    }
  }

  /** What was measured while the streams were open. */
  private record Held(int redisClients, Map<String, Double> coordinator, long notOpened) {
    Held(int redisClients, Map<String, Double> coordinator) {
      this(redisClients, coordinator, 0);
    }
  }

  /**
   * Opens the streams, samples {@code whileHeld} once they all saw an event (or after the hold),
   * then waits for them to end.
   */
  private Held hold(ClientPool pool, Recorder recorder, java.util.function.Supplier<Held> whileHeld)
      throws InterruptedException {
    CountDownLatch opened = new CountDownLatch(streams);
    Program program =
        execute ? samples().hello("python") : Samples.sleeper(hold.toMillis() / 1000.0);
    List<String> ids = new ArrayList<>();
    for (int j = 0; !execute && j < jobs; j++) {
      ids.add(pool.client(j).submit(program.request()));
    }
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < streams; i++) {
      int index = i;
      threads.add(
          Thread.ofVirtual()
              .start(
                  () ->
                      recorder.add(
                          stream(
                              pool.client(index),
                              program,
                              execute ? null : ids.get(index % ids.size()),
                              opened))));
    }
    opened.await(Math.max(10, hold.toSeconds()), TimeUnit.SECONDS);
    long notOpened = opened.getCount();
    Held sampled = whileHeld.get();
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Thread t : threads) {
      t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
    }
    return new Held(sampled.redisClients(), sampled.coordinator(), notOpened);
  }

  private static Map<String, Double> figures(ClusterDescription.ProcessInfo p) {
    Map<String, Double> m = new java.util.LinkedHashMap<>();
    Proc.threads(p.pid()).ifPresent(v -> m.put("threads", v));
    Proc.fds(p.pid()).ifPresent(v -> m.put("fds", v));
    Proc.rssMb(p.pid()).ifPresent(v -> m.put("rss MiB", v));
    return m;
  }

  private static Outcome stream(
      PolyrunClient client, Program program, String jobId, CountDownLatch opened) {
    long t0 = System.nanoTime();
    boolean[] counted = {false};
    ExecutionListener listener =
        new ExecutionListener() {
          @Override
          public void onCursor(String cursor) {
            if (!counted[0]) {
              counted[0] = true;
              opened.countDown();
            }
          }
        };
    try {
      Result r =
          jobId == null
              ? client.execute(program.request(), listener)
              : client.streamEvents(jobId, "", listener);
      Optional<String> wrong = program.check(r, r.getStdout());
      return new Outcome(
          program.name(),
          t0,
          t0,
          System.nanoTime(),
          jobId,
          r.getVerdict().name(),
          wrong.isPresent() && r.getVerdict() != program.expectedVerdict() ? "WRONG_RESULT" : null,
          wrong.orElse(null),
          r.getAttempt(),
          -1,
          Map.of());
    } catch (PolyrunException e) {
      return new Outcome(
          program.name(),
          t0,
          t0,
          System.nanoTime(),
          jobId,
          null,
          e.code().name(),
          e.getMessage(),
          0,
          -1,
          Map.of());
    } finally {
      if (!counted[0]) {
        opened.countDown();
      }
    }
  }
}
