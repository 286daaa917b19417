package dev.polyrun.queue.testing;

import dev.polyrun.queue.RedisSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.Jedis;

/**
 * A real Sentinel topology for tests: a master, a replica and three sentinels (quorum 2) that
 * declare the master down after 1 s, all local processes on free loopback ports; locked down (TLS,
 * passwords, an ACL user) as a {@link TestRedisSecurity} says.
 */
public final class TestSentinel implements AutoCloseable {
  /** The master's name as the sentinels know it. */
  public static final String MASTER_NAME = "polyrun";

  private final TestRedis master;
  private final TestRedis replica;
  private final List<Process> sentinels = new ArrayList<>();
  private final List<Integer> sentinelPorts = new ArrayList<>();
  private final List<Path> dirs = new ArrayList<>();
  private final TestRedisSecurity security;

  private TestSentinel(TestRedis master, TestRedis replica, TestRedisSecurity security) {
    this.master = master;
    this.replica = replica;
    this.security = security;
  }

  /** Starts the master, its replica and the sentinels; the caller closes it. */
  public static TestSentinel start() {
    return start(TestRedisSecurity.NONE);
  }

  /** Starts the master, its replica and the sentinels, locked down as {@code security} says. */
  public static TestSentinel start(TestRedisSecurity security) {
    TestRedis master =
        TestRedis.startLocalOnFreePort(
            masterPort ->
                args(
                    security,
                    masterPort,
                    "--appendfsync",
                    "always",
                    "--repl-diskless-sync-delay",
                    "0"));
    TestRedis replica;
    try {
      replica =
          TestRedis.startLocalOnFreePort(
              replicaPort ->
                  args(
                      security,
                      replicaPort,
                      "--replicaof",
                      master.host(),
                      Integer.toString(master.port()),
                      "--repl-diskless-sync-delay",
                      "0",
                      "--appendfsync",
                      "always"));
    } catch (RuntimeException e) {
      master.close();
      throw e;
    }
    TestSentinel topology = new TestSentinel(master, replica, security);
    try {
      for (int i = 0; i < 3; i++) {
        topology.startSentinel();
      }
      topology.awaitSentinelsSeeReplica(Duration.ofSeconds(20));
      topology.awaitReplicaInSync(Duration.ofSeconds(20));
      return topology;
    } catch (RuntimeException e) {
      topology.close();
      throw e;
    }
  }

  private static String[] args(TestRedisSecurity security, int port, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(security.serverArgs(port));
    return all.toArray(String[]::new);
  }

  private void startSentinel() {
    int port = TestRedis.freePort();
    try {
      Path dir = Files.createTempDirectory("polyrun-sentinel");
      dirs.add(dir);
      Path conf = dir.resolve("sentinel.conf");
      List<String> lines = new ArrayList<>(security.sentinelConf(port));
      lines.addAll(
          List.of(
              "bind 127.0.0.1",
              "dir " + dir,
              "sentinel monitor "
                  + MASTER_NAME
                  + " "
                  + master.host()
                  + " "
                  + master.port()
                  + " 2"));
      lines.addAll(security.sentinelMonitorConf(MASTER_NAME));
      lines.addAll(
          List.of(
              "sentinel down-after-milliseconds " + MASTER_NAME + " 1000",
              "sentinel failover-timeout " + MASTER_NAME + " 5000",
              "sentinel parallel-syncs " + MASTER_NAME + " 1",
              ""));
      Files.writeString(conf, String.join("\n", lines));
      Process p =
          new ProcessBuilder("redis-server", conf.toString(), "--sentinel")
              .redirectOutput(
                  ProcessBuilder.Redirect.appendTo(dir.resolve("sentinel.log").toFile()))
              .redirectErrorStream(true)
              .start();
      sentinels.add(p);
      sentinelPorts.add(port);
      awaitAnswer(port, Duration.ofSeconds(10));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start redis-server --sentinel", e);
    }
  }

  private void awaitAnswer(int port, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try (Jedis jedis = security.sentinel("127.0.0.1", port)) {
        jedis.ping();
        return;
      } catch (RuntimeException e) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("sentinel on port " + port + " does not answer", e);
        }
        sleep(50);
      }
    }
  }

  /** Waits until every sentinel knows the replica (a failover needs one to promote). */
  private void awaitSentinelsSeeReplica(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (int port : sentinelPorts) {
      while (true) {
        try (Jedis jedis = security.sentinel("127.0.0.1", port)) {
          if (!jedis.sentinelReplicas(MASTER_NAME).isEmpty()
              && jedis.sentinelSentinels(MASTER_NAME).size() >= 2) {
            break;
          }
        } catch (RuntimeException e) {
          // not ready yet
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "the sentinels do not see the replica and each other after " + timeout);
        }
        sleep(100);
      }
    }
  }

  private void awaitReplicaInSync(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try (Jedis jedis = security.admin(replica.host(), replica.port())) {
        if (jedis.info("replication").contains("master_link_status:up")) {
          return;
        }
      } catch (RuntimeException e) {
        // not ready yet
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the replica is not in sync after " + timeout);
      }
      sleep(100);
    }
  }

  /** The address of the master as the sentinels report it now. */
  public String currentMaster() {
    try (Jedis jedis = security.sentinel("127.0.0.1", sentinelPorts.get(0))) {
      List<String> address = jedis.sentinelGetMasterAddrByName(MASTER_NAME);
      return address.get(0) + ":" + address.get(1);
    }
  }

  public TestRedis master() {
    return master;
  }

  public TestRedis replica() {
    return replica;
  }

  /** The settings of a client that finds the master through the three sentinels. */
  public RedisSettings settings() {
    List<String> nodes = new ArrayList<>();
    sentinelPorts.forEach(p -> nodes.add("127.0.0.1:" + p));
    return RedisSettings.sentinel(MASTER_NAME, nodes);
  }

  /**
   * {@code redis-sentinel://host:port,.../polyrun} ({@code rediss-sentinel} with TLS), as {@code
   * redis.address} takes it.
   */
  public String uri() {
    return uri("");
  }

  /**
   * {@link #uri()} with {@code userInfo} ({@code user:password@}, or empty) before the sentinels.
   */
  public String uri(String userInfo) {
    List<String> nodes = new ArrayList<>();
    sentinelPorts.forEach(p -> nodes.add("127.0.0.1:" + p));
    return (security.tls() ? "rediss" : "redis")
        + "-sentinel://"
        + userInfo
        + String.join(",", nodes)
        + "/"
        + MASTER_NAME;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    for (Process p : sentinels) {
      p.destroyForcibly();
      try {
        p.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    replica.close();
    master.close();
    for (Path dir : dirs) {
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      } catch (IOException e) {
        // a temp dir left behind is harmless
      }
    }
  }
}
