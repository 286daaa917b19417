package dev.polyrun.e2e.bench;

import com.google.protobuf.ByteString;
import dev.polyrun.coordinator.AdmissionOptions;
import dev.polyrun.coordinator.AuthMode;
import dev.polyrun.coordinator.Coordinator;
import dev.polyrun.coordinator.CoordinatorOptions;
import dev.polyrun.proto.v1.ExecutorServiceGrpc;
import dev.polyrun.proto.v1.Language;
import dev.polyrun.proto.v1.SourceFile;
import dev.polyrun.proto.v1.SubmitRequest;
import dev.polyrun.queue.Durability;
import dev.polyrun.queue.QueueOptions;
import dev.polyrun.queue.RedisAdmission;
import dev.polyrun.queue.RedisQueue;
import dev.polyrun.queue.testing.TestRedis;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What each durability costs a Submit: the latency of Submit calls over gRPC to one coordinator
 * (this JVM, port 0) on a redis-server of this machine that appends to its file every second
 * ({@code memory}), fsyncs every write ({@code fsync}), or has one replica that Submit waits for
 * ({@code replica:1}). One caller, then 16 at once. A benchmark, not a test: it asserts nothing and
 * is run only by name ({@code bin/bench-submit}, which passes {@code -Dbench.submits=N}).
 */
class SubmitDurabilityBench {
  private static final int CALLERS = 16;
  private static final java.util.concurrent.atomic.AtomicLong unavailable =
      new java.util.concurrent.atomic.AtomicLong();

  @Test
  void submitLatencyByDurability() throws Exception {
    int submits = Integer.getInteger("bench.submits", 2000);
    int rounds = Integer.getInteger("bench.rounds", 3);
    List<String> modes = List.of("memory", "fsync", "replica:1");
    // the modes take turns, round after round, so that a busy moment of the machine or the JIT's
    // warm-up does not land on one mode alone; each figure is the median of the rounds
    java.util.Map<String, List<double[]>> figures = new java.util.LinkedHashMap<>();
    for (int round = 0; round < rounds; round++) {
      for (String mode : modes) {
        List<double[]> measured = measure(mode, submits);
        for (int k = 0; k < measured.size(); k++) {
          figures.computeIfAbsent(mode + "#" + k, x -> new ArrayList<>()).add(measured.get(k));
        }
      }
    }
    List<String> rows = new ArrayList<>();
    rows.add(
        String.format(
            Locale.ROOT,
            "%-10s %8s %9s %9s %10s %12s",
            "durability",
            "callers",
            "p50 ms",
            "p99 ms",
            "submits/s",
            "UNAVAILABLE"));
    figures.forEach((key, runs) -> rows.add(row(key.substring(0, key.indexOf('#')), runs)));
    System.out.println(
        "Submit latency by durability ("
            + submits
            + " submits per row, median of "
            + rounds
            + " rounds; redis-server "
            + "on this machine, its data in "
            + System.getProperty("java.io.tmpdir")
            + "; load average "
            + String.format(
                Locale.ROOT,
                "%.1f",
                java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                    .getSystemLoadAverage())
            + "):");
    rows.forEach(System.out::println);
  }

  /**
   * {callers, p50 ms, p99 ms, submits/s, UNAVAILABLE} for one caller, then for {@link #CALLERS}.
   */
  private static List<double[]> measure(String mode, int submits) throws Exception {
    Durability durability = Durability.parse(mode, Duration.ofSeconds(1));
    String[] redisArgs =
        mode.equals("fsync") ? new String[] {"--appendfsync", "always"} : new String[0];
    try (TestRedis primary = TestRedis.startLocalOnFreePort(redisArgs);
        TestRedis replica = mode.startsWith("replica") ? primary.startReplica() : null) {
      // no worker heartbeats here: the advertised language must outlast the run
      QueueOptions options =
          QueueOptions.builder().durability(durability).languagesTtl(Duration.ofHours(1)).build();
      try (RedisQueue queue =
              RedisQueue.connect(primary.settings(), options, Duration.ofSeconds(1));
          RedisAdmission admission = RedisAdmission.connect(primary.settings(), options)) {
        queue.advertise(
            List.of(Language.newBuilder().setName("python").setSourceFile("main.py").build()));
        awaitReplicas(queue, durability);
        Coordinator coordinator =
            Coordinator.start(
                queue,
                admission,
                CoordinatorOptions.builder()
                    .grpcPort(0)
                    .httpPort(0)
                    .auth(AuthMode.NONE)
                    .admission(
                        new AdmissionOptions(
                            0, Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(1)))
                    .build());
        ManagedChannel channel =
            ManagedChannelBuilder.forAddress("127.0.0.1", coordinator.grpcPort())
                .usePlaintext()
                .build();
        try {
          ExecutorServiceGrpc.ExecutorServiceBlockingStub stub =
              ExecutorServiceGrpc.newBlockingStub(channel);
          run(stub, 4, Math.min(1000, submits)); // warm-up: JIT, connections, Redis scripts
          return List.of(
              figures(1, run(stub, 1, submits)), figures(CALLERS, run(stub, CALLERS, submits)));
        } finally {
          channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
          coordinator.close();
        }
      }
    }
  }

  private static void awaitReplicas(RedisQueue queue, Durability durability)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (durability.kind() == Durability.Kind.REPLICAS
        && queue.checkDurability().outcome() != dev.polyrun.queue.DurabilityCheck.Outcome.HOLDS) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "the replica did not connect: " + queue.checkDurability().detail());
      }
      Thread.sleep(100);
    }
  }

  /** Latencies in nanoseconds, sorted, and the wall time of the whole run as the last element. */
  private static long[] run(
      ExecutorServiceGrpc.ExecutorServiceBlockingStub stub, int callers, int submits)
      throws Exception {
    SubmitRequest request =
        SubmitRequest.newBuilder()
            .setLanguage("python")
            .addFiles(SourceFile.newBuilder().setContent(ByteString.copyFromUtf8("print(1)")))
            .build();
    long[] latencies = new long[submits];
    unavailable.set(0);
    long start = System.nanoTime();
    try (ExecutorService pool = Executors.newFixedThreadPool(callers)) {
      List<Future<?>> done = new ArrayList<>();
      for (int c = 0; c < callers; c++) {
        int caller = c;
        done.add(
            pool.submit(
                () -> {
                  for (int i = caller; i < submits; i += callers) {
                    long t = System.nanoTime();
                    try {
                      stub.submit(request);
                    } catch (io.grpc.StatusRuntimeException e) {
                      if (e.getStatus().getCode() != io.grpc.Status.Code.UNAVAILABLE) {
                        throw e;
                      }
                      unavailable
                          .incrementAndGet(); // stored, but not on the replicas within the wait
                    }
                    latencies[i] = System.nanoTime() - t;
                  }
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    }
    long wall = System.nanoTime() - start;
    Arrays.sort(latencies);
    long[] out = Arrays.copyOf(latencies, submits + 1);
    out[submits] = wall;
    return out;
  }

  private static double[] figures(int callers, long[] run) {
    int n = run.length - 1;
    double p50 = run[(int) (n * 0.50)] / 1e6;
    double p99 = run[Math.min(n - 1, (int) (n * 0.99))] / 1e6;
    double rate = n / (run[n] / 1e9);
    return new double[] {callers, p50, p99, rate, unavailable.get()};
  }

  private static String row(String mode, List<double[]> runs) {
    double[] median = new double[5];
    for (int f = 0; f < median.length; f++) {
      int field = f;
      double[] values = runs.stream().mapToDouble(r -> r[field]).sorted().toArray();
      median[f] = values[values.length / 2];
    }
    return String.format(
        Locale.ROOT,
        "%-10s %8d %9.2f %9.2f %10.0f %12d",
        mode,
        (int) median[0],
        median[1],
        median[2],
        median[3],
        (long) median[4]);
  }
}
