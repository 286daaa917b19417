package dev.polyrun.queue.testing;

import dev.polyrun.queue.RedisSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.Jedis;

/**
 * A real Redis Cluster for tests: {@code masters} local redis-server processes in cluster mode on
 * free loopback ports, each with {@code replicasEach} replicas, joined by {@code redis-cli
 * --cluster create}. Nodes time out after 2 s, so a killed master's replica takes over within
 * seconds. Locked down (TLS between clients and nodes and on the cluster bus, passwords, an ACL
 * user) as a {@link TestRedisSecurity} says.
 */
public final class TestRedisCluster implements AutoCloseable {
  private final List<TestRedis> nodes;
  private final TestRedisSecurity security;

  private TestRedisCluster(List<TestRedis> nodes, TestRedisSecurity security) {
    this.nodes = nodes;
    this.security = security;
  }

  /** Starts and joins the cluster; the caller closes it. */
  public static TestRedisCluster start(int masters, int replicasEach) {
    return start(masters, replicasEach, TestRedisSecurity.NONE);
  }

  /** Starts and joins the cluster, locked down as {@code security} says; the caller closes it. */
  public static TestRedisCluster start(int masters, int replicasEach, TestRedisSecurity security) {
    List<TestRedis> nodes = new ArrayList<>();
    try {
      for (int i = 0; i < masters * (1 + replicasEach); i++) {
        nodes.add(TestRedis.startLocalOnFreePort(port -> nodeArgs(port, security)));
      }
      List<String> command = new ArrayList<>(List.of("redis-cli"));
      if (security.tls()) {
        command.addAll(List.of("--tls", "--cacert", security.certs().ca.toString()));
      }
      command.addAll(List.of("--cluster", "create"));
      nodes.forEach(n -> command.add(n.host() + ":" + n.port()));
      command.addAll(
          List.of("--cluster-replicas", Integer.toString(replicasEach), "--cluster-yes"));
      run(command, security.adminPassword());
      TestRedisCluster cluster = new TestRedisCluster(nodes, security);
      cluster.awaitHealthy(Duration.ofSeconds(30));
      return cluster;
    } catch (RuntimeException e) {
      nodes.forEach(TestRedis::close);
      throw e;
    }
  }

  /**
   * Runs redis-cli, with the admin password in its environment (not on its command line), for at
   * most a minute: {@code --cluster create} waits forever for a cluster bus that cannot connect.
   */
  private static void run(List<String> command, String password) {
    Path out = null;
    try {
      out = Files.createTempFile("polyrun-redis-cli", ".log");
      ProcessBuilder builder =
          new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
      if (password != null) {
        builder.environment().put("REDISCLI_AUTH", password);
      }
      Process p = builder.start();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor();
        throw new IllegalStateException(
            String.join(" ", command) + " did not end within 60 s: " + Files.readString(out));
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException(
            String.join(" ", command) + " failed: " + Files.readString(out));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run redis-cli (is redis-tools installed?)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      if (out != null) {
        out.toFile().delete();
      }
    }
  }

  /**
   * Waits until every live node says the cluster is ok and every slot is served, and every live
   * master's replicas are in sync (WAIT counts only those).
   */
  public void awaitHealthy(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      boolean ok = true;
      for (TestRedis node : nodes) {
        if (!node.isRunning()) {
          continue;
        }
        try (Jedis jedis = security.admin(node.host(), node.port())) {
          String info = jedis.clusterInfo();
          ok &= info.contains("cluster_state:ok") && info.contains("cluster_slots_ok:16384");
          String replication = jedis.info("replication");
          if (replication.contains("role:master")) {
            ok &=
                !replication.contains("connected_slaves:0")
                    && !replication.contains("state=wait_bgsave")
                    && !replication.contains("state=send_bulk");
          }
        } catch (RuntimeException e) {
          ok = false;
        }
      }
      if (ok) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the cluster is not healthy after " + timeout);
      }
      sleep(100);
    }
  }

  /** The nodes that are masters now (by their own word), live ones only. */
  public List<TestRedis> masters() {
    List<TestRedis> masters = new ArrayList<>();
    for (TestRedis node : nodes) {
      if (!node.isRunning()) {
        continue;
      }
      try (Jedis jedis = security.admin(node.host(), node.port())) {
        if (jedis.info("replication").contains("role:master")) {
          masters.add(node);
        }
      } catch (RuntimeException e) {
        // a node going down: not a master to count on
      }
    }
    return masters;
  }

  /** Every node, masters and replicas. */
  public List<TestRedis> nodes() {
    return List.copyOf(nodes);
  }

  /** The settings of a client that knows every node as a seed. */
  public RedisSettings settings() {
    List<String> seeds = new ArrayList<>();
    nodes.forEach(n -> seeds.add(n.host() + ":" + n.port()));
    return RedisSettings.cluster(seeds);
  }

  /**
   * {@code redis-cluster://host:port,...} ({@code rediss-cluster} with TLS), as {@code
   * redis.address} takes it.
   */
  public String uri() {
    return uri("");
  }

  /** {@link #uri()} with {@code userInfo} ({@code user:password@}, or empty) before the nodes. */
  public String uri(String userInfo) {
    List<String> seeds = new ArrayList<>();
    nodes.forEach(n -> seeds.add(n.host() + ":" + n.port()));
    return (security.tls() ? "rediss" : "redis")
        + "-cluster://"
        + userInfo
        + String.join(",", seeds);
  }

  /** A connection to {@code node} as the test's administrator (the default user). */
  public Jedis admin(TestRedis node) {
    return security.admin(node.host(), node.port());
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
    nodes.forEach(TestRedis::close);
  }

  /** A node's arguments on {@code port}, with a cluster bus port of its own. */
  private static String[] nodeArgs(int port, TestRedisSecurity security) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--cluster-enabled",
                "yes",
                "--cluster-config-file",
                "nodes.conf",
                "--cluster-node-timeout",
                "2000",
                "--cluster-port",
                Integer.toString(TestRedis.freePort()),
                "--appendfsync",
                "always",
                // a replica's first sync starts at once, not after Redis's default 5 s
                "--repl-diskless-sync-delay",
                "0"));
    args.addAll(security.serverArgs(port));
    if (security.tls()) {
      args.addAll(List.of("--tls-cluster", "yes"));
    }
    return args.toArray(String[]::new);
  }
}
