package dev.polyrun.queue.testing;

import dev.polyrun.queue.internal.PemTrust;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;

/**
 * How the test Redis servers (and sentinels) are locked down: TLS with certificates of a test CA
 * ({@code certs}, or null for plain TCP), a password for the {@code default} user that the test and
 * the replicas use ({@code adminPassword}), an ACL user for polyrun ({@code aclUser}, the text of
 * an {@code ACL SETUSER} rule such as {@code polyrun on >pw ~polyrun:* +@all}, or null) and the
 * sentinels' own {@code requirepass} ({@code sentinelPassword}, or null).
 */
public record TestRedisSecurity(
    TestCertificates certs, String adminPassword, String aclUser, String sentinelPassword) {
  /** Plain TCP and no passwords, as the other tests' Redis. */
  public static final TestRedisSecurity NONE = new TestRedisSecurity(null, null, null, null);

  public boolean tls() {
    return certs != null;
  }

  /**
   * Arguments of a redis-server serving on {@code port}: TLS only (no plain port) when TLS is on,
   * the default user's password, the ACL user, and the credentials replicas use with their master.
   */
  public List<String> serverArgs(int port) {
    List<String> args = new ArrayList<>();
    if (tls()) {
      args.addAll(
          List.of("--port", "0", "--tls-port", Integer.toString(port), "--tls-replication", "yes"));
      tlsFiles().forEach((name, value) -> args.addAll(List.of("--" + name, value)));
    }
    if (adminPassword != null) {
      args.addAll(List.of("--requirepass", adminPassword, "--masterauth", adminPassword));
    }
    if (aclUser != null) {
      args.add("--user");
      args.addAll(Arrays.asList(aclUser.split(" ")));
    }
    return args;
  }

  /**
   * Lines of a sentinel.conf that serves on {@code port} (before its {@code sentinel monitor}
   * line).
   */
  public List<String> sentinelConf(int port) {
    List<String> lines = new ArrayList<>();
    if (tls()) {
      lines.addAll(List.of("port 0", "tls-port " + port, "tls-replication yes"));
      tlsFiles().forEach((name, value) -> lines.add(name + " " + value));
    } else {
      lines.add("port " + port);
    }
    if (sentinelPassword != null) {
      lines.add("requirepass " + sentinelPassword);
      lines.add("sentinel sentinel-pass " + sentinelPassword);
    }
    return lines;
  }

  /**
   * Lines after {@code sentinel monitor MASTER ...}: how the sentinels authenticate to the servers.
   */
  public List<String> sentinelMonitorConf(String masterName) {
    return adminPassword == null
        ? List.of()
        : List.of("sentinel auth-pass " + masterName + " " + adminPassword);
  }

  private Map<String, String> tlsFiles() {
    Map<String, String> files = new LinkedHashMap<>();
    files.put("tls-cert-file", certs.serverCert.toString());
    files.put("tls-key-file", certs.serverKey.toString());
    files.put("tls-ca-cert-file", certs.ca.toString());
    files.put("tls-auth-clients", "no"); // polyrun's clients present no certificate of their own
    return files;
  }

  /** A connection to a server as its default user (the test's administrator). */
  public Jedis admin(String host, int port) {
    return new Jedis(new HostAndPort(host, port), config(null, adminPassword));
  }

  /** A connection to a sentinel with the sentinels' password. */
  public Jedis sentinel(String host, int port) {
    return new Jedis(new HostAndPort(host, port), config(null, sentinelPassword));
  }

  private JedisClientConfig config(String user, String password) {
    DefaultJedisClientConfig.Builder config =
        DefaultJedisClientConfig.builder().ssl(tls()).user(user).password(password);
    if (tls()) {
      config.sslSocketFactory(PemTrust.socketFactory(certs.ca));
    }
    return config.build();
  }
}
