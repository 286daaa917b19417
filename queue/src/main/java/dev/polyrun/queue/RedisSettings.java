package dev.polyrun.queue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Where and how to reach Redis: one server, a Sentinel-watched master or a Redis Cluster, each with
 * ACL user and password and optionally TLS. Every topology is reached through Jedis's unified
 * client, by the same code.
 *
 * @param host the first node's host name or address (the server; the first sentinel; the first seed
 *     node)
 * @param port the first node's TCP port
 * @param user ACL user name, or {@code null} for the default user
 * @param password password, or {@code null} when Redis requires none
 * @param connectTimeout time allowed to open a connection
 * @param socketTimeout time a non-blocking command may take before the connection is dropped
 * @param maxConnections most pooled connections one client (a queue, an admission store) opens (per
 *     node on a cluster); connections a component opens outside its pool, such as a coordinator's
 *     event readers, are not counted
 * @param poolWait how long a command waits for a free pooled connection before it fails with {@link
 *     QueueBusyException}
 * @param topology how the nodes are to be used
 * @param nodes every node as {@code host:port}: the server, the sentinels, or the cluster's seed
 *     nodes; at least one
 * @param masterName the master's name as the sentinels know it ({@link Topology#SENTINEL} only,
 *     else null)
 * @param tls whether connections to Redis (and to the sentinels) use TLS; the server's certificate
 *     must chain to a trusted authority and name the address connected to (host name or IP)
 * @param trustedCa a PEM file of the authorities trusted for TLS, or {@code null} for the JVM's
 *     trust store ({@code javax.net.ssl.trustStore}); read when a client is built
 * @param sentinelUser the user the sentinels are asked to authenticate, or {@code null} for their
 *     default user ({@link Topology#SENTINEL} only)
 * @param sentinelPassword the sentinels' password ({@code requirepass} of sentinel.conf, or their
 *     ACL user's), or {@code null} when they require none ({@link Topology#SENTINEL} only)
 */
public record RedisSettings(
    String host,
    int port,
    String user,
    String password,
    Duration connectTimeout,
    Duration socketTimeout,
    int maxConnections,
    Duration poolWait,
    Topology topology,
    List<String> nodes,
    String masterName,
    boolean tls,
    Path trustedCa,
    String sentinelUser,
    String sentinelPassword) {

  /** How polyrun reaches Redis. */
  public enum Topology {
    /** One Redis server (perhaps with replicas polyrun does not read). */
    STANDALONE,
    /** A master found through Redis Sentinel, followed across failovers. */
    SENTINEL,
    /** A Redis Cluster, found through its seed nodes; keys are routed by slot. */
    CLUSTER
  }

  /** Default connect timeout: 2 s. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);

  /** Default socket timeout: 5 s. Blocking reads add their BLOCK time to it. */
  public static final Duration DEFAULT_SOCKET_TIMEOUT = Duration.ofSeconds(5);

  /**
   * Default pool size: 256 connections (a worker's slots each hold one while they wait for a job).
   */
  public static final int DEFAULT_MAX_CONNECTIONS = 256;

  /** Default wait for a free pooled connection: 1 s. */
  public static final Duration DEFAULT_POOL_WAIT = Duration.ofSeconds(1);

  private static final String FORMS =
      "redis[s]://[user:password@]host:port, "
          + "redis[s]-sentinel://[user:password@]host:port[,host:port...]/master-name or "
          + "redis[s]-cluster://[user:password@]host:port[,host:port...]";

  public RedisSettings {
    Objects.requireNonNull(host, "host");
    checkPort(port);
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(socketTimeout, "socketTimeout");
    if (maxConnections < 1 || maxConnections > 10_000) {
      throw new IllegalArgumentException(
          "redis max connections: " + maxConnections + " (expected: 1..10000)");
    }
    Objects.requireNonNull(poolWait, "poolWait");
    if (poolWait.isNegative() || poolWait.compareTo(Duration.ofMinutes(1)) > 0) {
      throw new IllegalArgumentException("redis pool wait: " + poolWait + " (expected: 0s..1m)");
    }
    Objects.requireNonNull(topology, "topology");
    nodes = List.copyOf(nodes == null || nodes.isEmpty() ? List.of(host + ":" + port) : nodes);
    if ((topology == Topology.SENTINEL) != (masterName != null && !masterName.isEmpty())) {
      throw new IllegalArgumentException(
          "redis master name: '"
              + masterName
              + "' (expected: "
              + (topology == Topology.SENTINEL
                  ? "the master's name as the sentinels know it"
                  : "none outside Sentinel")
              + ")");
    }
    if (trustedCa != null && !tls) {
      throw new IllegalArgumentException(
          "redis trusted CA: "
              + trustedCa
              + " (expected: none without TLS; use rediss://, rediss-sentinel:// or rediss-cluster://)");
    }
    if (topology != Topology.SENTINEL && (sentinelUser != null || sentinelPassword != null)) {
      throw new IllegalArgumentException(
          "redis sentinel credentials set for a "
              + topology
              + " address (expected: none outside Sentinel)");
    }
  }

  /**
   * Standalone settings with the default pool ({@value #DEFAULT_MAX_CONNECTIONS} connections, 1 s
   * wait).
   */
  public RedisSettings(
      String host,
      int port,
      String user,
      String password,
      Duration connectTimeout,
      Duration socketTimeout) {
    this(
        host,
        port,
        user,
        password,
        connectTimeout,
        socketTimeout,
        DEFAULT_MAX_CONNECTIONS,
        DEFAULT_POOL_WAIT,
        Topology.STANDALONE,
        List.of(),
        null,
        false,
        null,
        null,
        null);
  }

  /** These settings with another pool size and wait for a free connection. */
  public RedisSettings withPool(int maxConnections, Duration poolWait) {
    Copy c = new Copy(this);
    c.maxConnections = maxConnections;
    c.poolWait = poolWait;
    return c.build();
  }

  /** These settings with another ACL user and password (null for none). */
  public RedisSettings withCredentials(String user, String password) {
    Copy c = new Copy(this);
    c.user = user;
    c.password = password;
    return c.build();
  }

  /**
   * These settings with the sentinels' own credentials (null for none): sentinels usually have a
   * password of their own ({@code requirepass} in sentinel.conf), not the master's ACL user.
   */
  public RedisSettings withSentinelCredentials(String user, String password) {
    Copy c = new Copy(this);
    c.sentinelUser = user;
    c.sentinelPassword = password;
    return c.build();
  }

  /**
   * These settings trusting the authorities of the PEM file {@code caFile} (null: the JVM's trust
   * store).
   */
  public RedisSettings withTrustedCa(Path caFile) {
    Copy c = new Copy(this);
    c.trustedCa = caFile;
    return c.build();
  }

  /**
   * These settings for the one server {@code hostPort} (a node of a cluster), with a small pool.
   */
  public RedisSettings node(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    Copy c = new Copy(this);
    c.host = hostPort.substring(0, colon);
    c.port = Integer.parseInt(hostPort.substring(colon + 1));
    c.maxConnections = 2;
    c.topology = Topology.STANDALONE;
    c.nodes = List.of();
    c.masterName = null;
    c.sentinelUser = null;
    c.sentinelPassword = null;
    return c.build();
  }

  /** A record's fields to change a few of: the withers' one call of the canonical constructor. */
  private static final class Copy {
    private String host;
    private int port;
    private String user;
    private String password;
    private final Duration connectTimeout;
    private final Duration socketTimeout;
    private int maxConnections;
    private Duration poolWait;
    private Topology topology;
    private List<String> nodes;
    private String masterName;
    private final boolean tls;
    private Path trustedCa;
    private String sentinelUser;
    private String sentinelPassword;

    private Copy(RedisSettings s) {
      host = s.host;
      port = s.port;
      user = s.user;
      password = s.password;
      connectTimeout = s.connectTimeout;
      socketTimeout = s.socketTimeout;
      maxConnections = s.maxConnections;
      poolWait = s.poolWait;
      topology = s.topology;
      nodes = s.nodes;
      masterName = s.masterName;
      tls = s.tls;
      trustedCa = s.trustedCa;
      sentinelUser = s.sentinelUser;
      sentinelPassword = s.sentinelPassword;
    }

    private RedisSettings build() {
      return new RedisSettings(
          host,
          port,
          user,
          password,
          connectTimeout,
          socketTimeout,
          maxConnections,
          poolWait,
          topology,
          nodes,
          masterName,
          tls,
          trustedCa,
          sentinelUser,
          sentinelPassword);
    }
  }

  /** Settings for {@code host:port} without authentication and with default timeouts. */
  public static RedisSettings of(String host, int port) {
    return new RedisSettings(
        host, port, null, null, DEFAULT_CONNECT_TIMEOUT, DEFAULT_SOCKET_TIMEOUT);
  }

  /** Settings for a Redis Cluster reached through {@code seeds} ({@code host:port} each). */
  public static RedisSettings cluster(List<String> seeds) {
    return of(Topology.CLUSTER, seeds, null, false);
  }

  /**
   * Settings for the master {@code masterName} found through {@code sentinels} ({@code host:port}
   * each).
   */
  public static RedisSettings sentinel(String masterName, List<String> sentinels) {
    return of(Topology.SENTINEL, sentinels, masterName, false);
  }

  private static RedisSettings of(
      Topology topology, List<String> nodes, String masterName, boolean tls) {
    if (nodes.isEmpty()) {
      throw new IllegalArgumentException("redis nodes: none (expected: at least one host:port)");
    }
    String first = nodes.get(0);
    int colon = first.lastIndexOf(':');
    return new RedisSettings(
        first.substring(0, colon),
        Integer.parseInt(first.substring(colon + 1)),
        null,
        null,
        DEFAULT_CONNECT_TIMEOUT,
        DEFAULT_SOCKET_TIMEOUT,
        DEFAULT_MAX_CONNECTIONS,
        DEFAULT_POOL_WAIT,
        topology,
        nodes,
        masterName,
        tls,
        null,
        null,
        null);
  }

  /**
   * Parses {@code redis://[user:password@]host:port} (one server), {@code
   * redis-sentinel://[user:password@]host:port,host:port/master-name} (a master found through
   * sentinels) or {@code redis-cluster://[user:password@]host:port,host:port} (a cluster's seed
   * nodes); {@code rediss}, {@code rediss-sentinel} and {@code rediss-cluster} use TLS. The
   * password may instead come from {@code passwordOverride} (for example an environment variable),
   * which wins when non-null and non-empty.
   *
   * @throws IllegalArgumentException naming the bad value and the expected forms
   */
  public static RedisSettings parse(String uri, String passwordOverride) {
    int schemeEnd = uri.indexOf("://");
    if (schemeEnd < 0) {
      throw badUri(uri);
    }
    String scheme = uri.substring(0, schemeEnd);
    boolean tls = scheme.startsWith("rediss");
    Topology topology =
        switch (scheme) {
          case "redis", "rediss" -> Topology.STANDALONE;
          case "redis-sentinel", "rediss-sentinel" -> Topology.SENTINEL;
          case "redis-cluster", "rediss-cluster" -> Topology.CLUSTER;
          default -> throw badUri(uri);
        };
    String rest = uri.substring(schemeEnd + 3);
    String user = null;
    String password = null;
    int at = rest.lastIndexOf('@');
    if (at >= 0) {
      String info = rest.substring(0, at);
      rest = rest.substring(at + 1);
      int colon = info.indexOf(':');
      user = colon < 0 ? null : emptyToNull(info.substring(0, colon));
      password = emptyToNull(colon < 0 ? info : info.substring(colon + 1));
    }
    String masterName = null;
    int slash = rest.indexOf('/');
    if (slash >= 0) {
      masterName = emptyToNull(rest.substring(slash + 1));
      rest = rest.substring(0, slash);
      if (topology != Topology.SENTINEL && masterName != null) {
        throw badUri(uri);
      }
    }
    if (topology == Topology.SENTINEL && masterName == null) {
      throw badUri(uri);
    }
    List<String> nodes = new ArrayList<>();
    for (String node : rest.split(",")) {
      nodes.add(checkNode(node, uri));
    }
    if (topology == Topology.STANDALONE && nodes.size() != 1) {
      throw badUri(uri);
    }
    if (passwordOverride != null && !passwordOverride.isEmpty()) {
      password = passwordOverride;
    }
    return of(topology, nodes, masterName, tls).withCredentials(user, password);
  }

  private static String checkNode(String node, String uri) {
    int colon = node.lastIndexOf(':');
    if (colon <= 0) {
      throw badUri(uri);
    }
    try {
      checkPort(Integer.parseInt(node.substring(colon + 1)));
    } catch (IllegalArgumentException e) {
      throw badUri(uri);
    }
    return node;
  }

  private static void checkPort(int port) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("redis port: " + port + " (expected: 1..65535)");
    }
  }

  /**
   * The address without credentials, for logs: {@code host:port}, or the topology and its nodes.
   */
  public String address() {
    return switch (topology) {
      case STANDALONE -> host + ":" + port;
      case SENTINEL -> "sentinel " + String.join(",", nodes) + " master " + masterName;
      case CLUSTER -> "cluster " + String.join(",", nodes);
    };
  }

  private static String emptyToNull(String s) {
    return s.isEmpty() ? null : s;
  }

  private static IllegalArgumentException badUri(String uri) {
    // the address may hold a password: name its form, not the password
    String shown =
        uri.contains("@")
            ? uri.substring(0, uri.indexOf("://") + 3)
                + "***@"
                + uri.substring(uri.lastIndexOf('@') + 1)
            : uri;
    return new IllegalArgumentException("redis address: '" + shown + "' (expected: " + FORMS + ")");
  }

  @Override
  public String toString() {
    return "RedisSettings["
        + address()
        + (tls ? ", tls" : "")
        + (trustedCa == null ? "" : ", CA " + trustedCa)
        + (user == null ? "" : ", user " + user)
        + (password == null ? "" : ", password set")
        + (sentinelUser == null ? "" : ", sentinel user " + sentinelUser)
        + (sentinelPassword == null ? "" : ", sentinel password set")
        + ", pool "
        + maxConnections
        + "]";
  }
}
