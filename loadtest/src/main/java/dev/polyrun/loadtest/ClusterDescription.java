package dev.polyrun.loadtest;

import com.google.gson.Gson;
import com.google.gson.JsonParseException;
import dev.polyrun.config.Quantities;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The processes of a cluster as {@code bin/local-cluster} describes them in {@code cluster.json}
 * (or as an operator writes it for another cluster): pids to sample and signal, the command that
 * restarts each, and where Redis and its password are. The soak and failover scenarios need it; the
 * load itself goes through the public API only.
 *
 * @param file where it was read from, for {@link #reload()}
 * @param grpcAddress the coordinator's {@code host:port}
 * @param apiKeyFile the file holding the API key of the cluster's tenant, if any
 * @param redis where Redis is
 * @param processes every process, workers included
 * @param lease the queue's lease (how long a silent worker keeps a job), when the file says it
 */
public record ClusterDescription(
    Path file,
    String grpcAddress,
    Optional<Path> apiKeyFile,
    Redis redis,
    List<ProcessInfo> processes,
    Optional<Duration> lease) {

  /**
   * Redis of the cluster.
   *
   * @param passwordFile a file holding only the password, if Redis wants one
   */
  public record Redis(String host, int port, Optional<Path> passwordFile) {
    /** The password, read from its file; empty without one. */
    public Optional<String> password() {
      if (passwordFile.isEmpty()) {
        return Optional.empty();
      }
      try {
        return Optional.of(Files.readString(passwordFile.get(), StandardCharsets.UTF_8).strip());
      } catch (IOException e) {
        throw new IllegalArgumentException(
            "redis password file '" + passwordFile.get() + "': " + e.getMessage(), e);
      }
    }
  }

  /**
   * One process.
   *
   * @param role {@code redis}, {@code coordinator} or {@code worker}
   * @param pid its process id on this host
   * @param restart the command (argv) that starts it again as before, after it was killed
   * @param stateDir a worker's state directory (work directories, bundles), when a worker
   * @param runtimeRoot a worker's container runtime root ({@code runc --root}), when a worker
   * @param cgroup a worker's cgroup below each hierarchy's root (e.g. {@code polyrun/w1a2b...}),
   *     when a worker
   */
  public record ProcessInfo(
      String name,
      String role,
      long pid,
      List<String> command,
      List<String> restart,
      Optional<Path> stateDir,
      Optional<Path> runtimeRoot,
      Optional<String> cgroup) {
    public ProcessInfo {
      Objects.requireNonNull(name, "name");
      command = command == null ? List.of() : List.copyOf(command);
      restart = restart == null ? List.of() : List.copyOf(restart);
    }
  }

  /** The workers. */
  public List<ProcessInfo> workers() {
    return processes.stream().filter(p -> p.role().equals("worker")).toList();
  }

  /** The first process of a role. */
  public Optional<ProcessInfo> first(String role) {
    return processes.stream().filter(p -> p.role().equals(role)).findFirst();
  }

  /** The process of that name. */
  public Optional<ProcessInfo> process(String name) {
    return processes.stream().filter(p -> p.name().equals(name)).findFirst();
  }

  /** Reads the file again (pids change when a process restarts). */
  public ClusterDescription reload() {
    return read(file);
  }

  /**
   * Reads a cluster description.
   *
   * @throws IllegalArgumentException naming the file and what is missing
   */
  public static ClusterDescription read(Path file) {
    Raw raw;
    try {
      raw = new Gson().fromJson(Files.readString(file, StandardCharsets.UTF_8), Raw.class);
    } catch (IOException | JsonParseException e) {
      throw new IllegalArgumentException(
          "cluster description '"
              + file
              + "': "
              + e.getMessage()
              + " (expected: the cluster.json that bin/local-cluster writes)",
          e);
    }
    if (raw == null || raw.processes == null || raw.redis == null) {
      throw new IllegalArgumentException(
          "cluster description '"
              + file
              + "': no \"processes\" or \"redis\" (expected: the cluster.json of bin/local-cluster)");
    }
    List<ProcessInfo> processes =
        raw.processes.stream()
            .map(
                p ->
                    new ProcessInfo(
                        p.name,
                        p.role == null ? p.name : p.role,
                        p.pid,
                        p.command,
                        p.restart,
                        path(p.stateDir),
                        path(p.runtimeRoot),
                        Optional.ofNullable(p.cgroup).filter(c -> !c.isBlank())))
            .toList();
    return new ClusterDescription(
        file,
        raw.grpcAddress,
        path(raw.apiKeyFile),
        new Redis(
            raw.redis.host == null ? "127.0.0.1" : raw.redis.host,
            raw.redis.port,
            path(raw.redis.passwordFile)),
        processes,
        raw.queueLease == null
            ? Optional.empty()
            : Optional.of(Quantities.duration("queueLease", raw.queueLease)));
  }

  private static Optional<Path> path(String s) {
    return s == null || s.isBlank() ? Optional.empty() : Optional.of(Path.of(s));
  }

  /** The JSON shape. */
  private static final class Raw {
    String grpcAddress;
    String apiKeyFile;
    String queueLease;
    RawRedis redis;
    List<RawProcess> processes;
  }

  private static final class RawRedis {
    String host;
    int port;
    String passwordFile;
  }

  private static final class RawProcess {
    String name;
    String role;
    long pid;
    List<String> command;
    List<String> restart;
    String stateDir;
    String runtimeRoot;
    String cgroup;
  }
}
