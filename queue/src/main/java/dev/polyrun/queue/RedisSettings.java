package dev.polyrun.queue;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Where and how to reach Redis.
 *
 * @param host Redis host name or address
 * @param port Redis TCP port
 * @param user ACL user name, or {@code null} for the default user
 * @param password password, or {@code null} when Redis requires none
 * @param connectTimeout time allowed to open a connection
 * @param socketTimeout time a non-blocking command may take before the connection is dropped
 * @param maxConnections most pooled connections one client (a queue, an admission store) opens;
 *     connections a component opens outside its pool, such as a coordinator's event readers, are
 *     not counted
 * @param poolWait how long a command waits for a free pooled connection before it fails with
 *     {@link QueueBusyException}
 */
public record RedisSettings(
    String host,
    int port,
    String user,
    String password,
    Duration connectTimeout,
    Duration socketTimeout,
    int maxConnections,
    Duration poolWait) {

  /** Default connect timeout: 2 s. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);

  /** Default socket timeout: 5 s. Blocking reads add their BLOCK time to it. */
  public static final Duration DEFAULT_SOCKET_TIMEOUT = Duration.ofSeconds(5);

  /** Default pool size: 256 connections (a worker's slots each hold one while they wait for a job). */
  public static final int DEFAULT_MAX_CONNECTIONS = 256;

  /** Default wait for a free pooled connection: 1 s. */
  public static final Duration DEFAULT_POOL_WAIT = Duration.ofSeconds(1);

  public RedisSettings {
    Objects.requireNonNull(host, "host");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("redis port: " + port + " (expected: 1..65535)");
    }
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(socketTimeout, "socketTimeout");
    if (maxConnections < 1 || maxConnections > 10_000) {
      throw new IllegalArgumentException("redis max connections: " + maxConnections + " (expected: 1..10000)");
    }
    Objects.requireNonNull(poolWait, "poolWait");
    if (poolWait.isNegative() || poolWait.compareTo(Duration.ofMinutes(1)) > 0) {
      throw new IllegalArgumentException("redis pool wait: " + poolWait + " (expected: 0s..1m)");
    }
  }

  /** Settings with the default pool ({@value #DEFAULT_MAX_CONNECTIONS} connections, 1 s wait). */
  public RedisSettings(String host, int port, String user, String password, Duration connectTimeout,
      Duration socketTimeout) {
    this(host, port, user, password, connectTimeout, socketTimeout, DEFAULT_MAX_CONNECTIONS, DEFAULT_POOL_WAIT);
  }

  /** These settings with another pool size and wait for a free connection. */
  public RedisSettings withPool(int maxConnections, Duration poolWait) {
    return new RedisSettings(host, port, user, password, connectTimeout, socketTimeout, maxConnections, poolWait);
  }

  /** Settings for {@code host:port} without authentication and with default timeouts. */
  public static RedisSettings of(String host, int port) {
    return new RedisSettings(host, port, null, null, DEFAULT_CONNECT_TIMEOUT, DEFAULT_SOCKET_TIMEOUT);
  }

  /**
   * Parses {@code redis://[user:password@]host:port}. The password may instead come from
   * {@code passwordOverride} (for example an environment variable), which wins when non-null.
   *
   * @throws IllegalArgumentException naming the bad value and the expected form
   */
  public static RedisSettings parse(String uri, String passwordOverride) {
    URI parsed;
    try {
      parsed = URI.create(uri);
    } catch (IllegalArgumentException e) {
      throw badUri(uri);
    }
    if (!"redis".equals(parsed.getScheme()) || parsed.getHost() == null || parsed.getPort() < 0) {
      throw badUri(uri);
    }
    String user = null;
    String password = null;
    String info = parsed.getUserInfo();
    if (info != null && !info.isEmpty()) {
      int colon = info.indexOf(':');
      user = colon < 0 ? null : emptyToNull(info.substring(0, colon));
      password = colon < 0 ? info : info.substring(colon + 1);
    }
    if (passwordOverride != null && !passwordOverride.isEmpty()) {
      password = passwordOverride;
    }
    return new RedisSettings(
        parsed.getHost(),
        parsed.getPort(),
        user,
        password,
        DEFAULT_CONNECT_TIMEOUT,
        DEFAULT_SOCKET_TIMEOUT);
  }

  /** The address without credentials, for logs. */
  public String address() {
    return host + ":" + port;
  }

  private static String emptyToNull(String s) {
    return s.isEmpty() ? null : s;
  }

  private static IllegalArgumentException badUri(String uri) {
    return new IllegalArgumentException(
        "redis address: '" + uri + "' (expected: redis://[user:password@]host:port)");
  }

  @Override
  public String toString() {
    return "RedisSettings[" + address() + (password == null ? "" : ", password set") + ", pool " + maxConnections
        + "]";
  }
}
