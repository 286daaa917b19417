package dev.polyrun.coordinator.bench;

import dev.polyrun.coordinator.Tenants;
import dev.polyrun.proto.v1.Language;
import dev.polyrun.queue.QueueOptions;
import dev.polyrun.queue.RedisQueue;
import dev.polyrun.queue.testing.TestRedis;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.RedisClient;

/**
 * Measures one coordinator on loopback: Submit throughput with no worker running, the latency of a
 * quota refusal beside an acceptance at the same load, and thousands of open result streams on a
 * few Redis connections. Starts its own redis-server and a coordinator JVM; run it with {@code
 * bin/bench-coordinator} (arguments are listed there).
 */
public final class CoordinatorBench {
  private final Map<String, String> args;

  private CoordinatorBench(Map<String, String> args) {
    this.args = args;
  }

  public static void main(String[] argv) throws Exception {
    Map<String, String> args = new HashMap<>();
    args.put("scenario", argv.length > 0 && !argv[0].startsWith("--") ? argv[0] : "all");
    for (int i = 0; i < argv.length; i++) {
      if (argv[i].startsWith("--")) {
        String key = argv[i].substring(2);
        boolean flag = i + 1 >= argv.length || argv[i + 1].startsWith("--");
        args.put(key, flag ? "true" : argv[++i]);
      }
    }
    new CoordinatorBench(args).run();
    System.exit(0);
  }

  private int number(String key, int fallback) {
    return Integer.parseInt(args.getOrDefault(key, Integer.toString(fallback)));
  }

  private void run() throws Exception {
    String scenario = args.get("scenario");
    Path dir = Files.createTempDirectory("polyrun-bench");
    Path tenants = dir.resolve("tenants.json");
    Files.writeString(
        tenants,
        "{\"tenants\": ["
            + tenant("open", "bench-open", 100_000_000, 1_000_000)
            + ","
            + tenant("full", "bench-full", 1, 1_000_000)
            + "]}");
    List<String> jvm =
        new ArrayList<>(List.of("-Xms512m", "-Xmx1g", "--sun-misc-unsafe-memory-access=allow"));
    if (args.containsKey("jfr")) {
      jvm.add("-XX:StartFlightRecording=filename=" + args.get("jfr") + ",settings=profile");
    }
    Map<String, String> settings = new HashMap<>();
    if (args.containsKey("redis-connections")) {
      settings.put("redis.max-connections", args.get("redis-connections"));
    }
    try (TestRedis redis = TestRedis.startLocalOnFreePort();
        RedisQueue worker =
            RedisQueue.connect(redis.settings(), QueueOptions.defaults(), Duration.ofSeconds(2));
        RedisClient raw = RedisClient.create(redis.host(), redis.port())) {
      // as a live worker does: the languages are listed for 60 s after each advertisement
      List<Language> languages =
          List.of(Language.newBuilder().setName("python").setVersion("3").build());
      worker.advertise(languages);
      Thread.ofPlatform()
          .daemon()
          .start(
              () -> {
                while (true) {
                  CoordinatorProcess.sleep(10_000);
                  worker.advertise(languages);
                }
              });
      CoordinatorProcess coordinator =
          new CoordinatorProcess(
              redis.uri(), tenants, settings, jvm, dir.resolve("coordinator.log"));
      List<ManagedChannel> channels = new ArrayList<>();
      for (int i = 0; i < number("channels", 8); i++) {
        channels.add(
            ManagedChannelBuilder.forAddress("127.0.0.1", coordinator.grpcPort)
                .usePlaintext()
                .build());
      }
      try {
        System.out.printf(
            Locale.ROOT,
            "coordinator pid %d, redis :%d, %d channels, %d cores%n",
            coordinator.pid(),
            redis.port(),
            channels.size(),
            Runtime.getRuntime().availableProcessors());
        if (scenario.equals("submit") || scenario.equals("all")) {
          submit(channels, new CpuMeter(coordinator.pid(), () -> redisCpu(raw)));
        }
        if (scenario.equals("streams") || scenario.equals("all")) {
          streams(channels, worker, coordinator, redis.port());
        }
        System.out.println(
            "coordinator connections to redis (ss) at the end: "
                + coordinator.connectionsTo(redis.port()));
        System.out.println(gauges(coordinator.metrics()));
      } finally {
        for (ManagedChannel c : channels) {
          c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        coordinator.close();
        System.out.println(
            "coordinator log: "
                + dir.resolve("coordinator.log")
                + (args.containsKey("jfr") ? "; flight recording: " + args.get("jfr") : ""));
      }
    }
  }

  private void submit(List<ManagedChannel> channels, CpuMeter cpu) throws InterruptedException {
    int concurrency = number("concurrency", 64);
    Duration warmup = Duration.ofSeconds(number("warmup", 10));
    Duration measure = Duration.ofSeconds(number("seconds", 20));
    boolean keyed = args.containsKey("keyed");
    // the "full" tenant reaches its one active job with its first submission; every later one is
    // refused
    new SubmitLoad(channels.subList(0, 1), List.of("bench-full"), 1, false)
        .run(Duration.ZERO, Duration.ofMillis(200), null);

    SubmitLoad.Report accept =
        new SubmitLoad(channels, List.of("bench-open"), concurrency, keyed)
            .run(warmup, measure, cpu);
    System.out.printf(
        Locale.ROOT,
        "%nSUBMIT, accepted only, %d in flight%s: %.0f accepted/s%n  accepted %s%n"
            + "  errors %s%n  %s%n",
        concurrency,
        keyed ? ", each with its own idempotency key" : "",
        accept.acceptedPerSecond(),
        accept.accepted().summary(),
        accept.errors(),
        CpuMeter.perCall(accept.cpu(), accept.accepted().count()));

    SubmitLoad.Report mixed =
        new SubmitLoad(channels, List.of("bench-open", "bench-full"), concurrency, keyed)
            .run(Duration.ofSeconds(2), measure, cpu);
    System.out.printf(
        Locale.ROOT,
        "%nSUBMIT, half accepted, half refused (tenant at its quota), %d in flight:"
            + " %.0f accepted/s + %.0f refused/s%n  accepted %s%n  refused  %s%n  errors %s%n  %s%n",
        concurrency,
        mixed.acceptedPerSecond(),
        mixed.refusedPerSecond(),
        mixed.accepted().summary(),
        mixed.refused().summary(),
        mixed.errors(),
        CpuMeter.perCall(mixed.cpu(), mixed.accepted().count() + mixed.refused().count()));
  }

  private void streams(
      List<ManagedChannel> channels,
      RedisQueue worker,
      CoordinatorProcess coordinator,
      int redisPort)
      throws Exception {
    int n = number("streams", 2000);
    StreamsLoad.Report r =
        new StreamsLoad(channels, "bench-open", worker)
            .run(n, () -> coordinator.connectionsTo(redisPort));
    System.out.printf(
        Locale.ROOT,
        "%nSTREAMS: %d open at once over %d channels; %d received their result, %d every"
            + " event in order; failures %s%n  all open (first event each) in %.1f s; all results in %.1f s after the"
            + " worker began%n  most coordinator connections to redis (ss, sampled every 200 ms): %d%n"
            + "  result event after its job was completed: %s%n",
        r.streams(),
        channels.size(),
        r.completed(),
        r.inOrder(),
        r.failures(),
        r.openAll().toMillis() / 1000.0,
        r.finishAll().toMillis() / 1000.0,
        r.mostConnections(),
        r.resultAfterCompletion().summary());
  }

  /** Redis's own CPU seconds (INFO cpu: used_cpu_user + used_cpu_sys). */
  private static double redisCpu(RedisClient raw) {
    double seconds = 0;
    for (String line : raw.info("cpu").lines().toList()) {
      if (line.startsWith("used_cpu_user:") || line.startsWith("used_cpu_sys:")) {
        seconds += Double.parseDouble(line.substring(line.indexOf(':') + 1).trim());
      }
    }
    return seconds;
  }

  private static String tenant(String name, String key, int maxActive, int perSecond) {
    return "{\"name\": \""
        + name
        + "\", \"api-key-sha256\": [\""
        + Tenants.sha256Hex(key)
        + "\"], \"max-active-jobs\": "
        + maxActive
        + ", \"submissions-per-second\": "
        + perSecond
        + ", \"burst\": "
        + perSecond
        + "}";
  }

  /** The coordinator's connection and stream gauges, from its Prometheus text. */
  private static String gauges(String metrics) {
    StringBuilder out = new StringBuilder("coordinator metrics:");
    metrics
        .lines()
        .filter(l -> l.startsWith("polyrun_redis_") || l.startsWith("polyrun_streams_"))
        .forEach(l -> out.append("\n  ").append(l));
    return out.toString();
  }
}
