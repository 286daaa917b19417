package dev.polyrun.loadtest.cli;

import dev.polyrun.client.PolyrunClient;
import dev.polyrun.client.PolyrunClientBuilder;
import dev.polyrun.loadtest.ClusterDescription;
import dev.polyrun.loadtest.internal.ClientPool;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * Where the cluster is and how to call it, as the {@code polyrun} CLI finds them: {@code --addr}
 * else {@code $POLYRUN_ADDR} else the local cluster's address; {@code --api-key} else {@code
 * $POLYRUN_API_KEY} else the local cluster's key (sent only to its address). The local cluster is
 * the one {@code bin/local-cluster} runs ({@code --cluster-dir}, default {@code .polyrun/cluster});
 * its {@code cluster.json} names the processes that soak samples and failover faults.
 */
public final class ConnectionOptions {
  @Option(
      names = "--addr",
      paramLabel = "HOST:PORT",
      description = "The coordinator (default: $POLYRUN_ADDR, else the local cluster's).")
  String addr;

  @Option(
      names = "--api-key",
      paramLabel = "KEY",
      description =
          "API key (default: $POLYRUN_API_KEY, else the local cluster's key for its address).")
  String apiKey;

  @Option(
      names = "--cluster-dir",
      paramLabel = "DIR",
      description = "Directory of bin/local-cluster (default: ${DEFAULT-VALUE}).",
      defaultValue = "${sys:polyrun.cluster.dir:-.polyrun/cluster}")
  Path clusterDir;

  @Option(
      names = "--cluster",
      paramLabel = "FILE",
      description = "Cluster description for soak and failover (default: DIR/cluster.json).")
  Path clusterFile;

  @Option(names = "--tls", description = "Call the coordinator over TLS.")
  boolean tls;

  @Option(
      names = "--ca",
      paramLabel = "FILE",
      description = "Trust these authorities (PEM) for TLS.")
  Path ca;

  @Option(
      names = "--channels",
      paramLabel = "N",
      defaultValue = "4",
      description =
          "gRPC channels (connections) the load is spread over (default: ${DEFAULT-VALUE}).")
  int channels;

  /** The coordinator's address. */
  public String target() {
    if (addr != null) {
      return addr;
    }
    String env = System.getenv("POLYRUN_ADDR");
    if (env != null && !env.isBlank()) {
      return env.strip();
    }
    return read(clusterDir.resolve("addr")).orElse("localhost:50051");
  }

  /** The API key to send, if any. */
  public Optional<String> apiKey() {
    if (apiKey != null) {
      return Optional.of(apiKey);
    }
    String env = System.getenv("POLYRUN_API_KEY");
    if (env != null && !env.isBlank()) {
      return Optional.of(env.strip());
    }
    boolean local = read(clusterDir.resolve("addr")).map(a -> a.equals(target())).orElse(false);
    return local ? read(clusterDir.resolve("api-key")) : Optional.empty();
  }

  /** The cluster description, if there is one. */
  public Optional<ClusterDescription> cluster() {
    Path file = clusterFile != null ? clusterFile : clusterDir.resolve("cluster.json");
    if (clusterFile == null && !Files.exists(file)) {
      return Optional.empty();
    }
    return Optional.of(ClusterDescription.read(file));
  }

  /** The cluster description, or a usage error saying how to get one. */
  public ClusterDescription requireCluster(String scenario) {
    return cluster()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    scenario
                        + " needs the cluster's description: --cluster FILE, or a cluster started by bin/local-cluster in "
                        + clusterDir
                        + " (expected: "
                        + clusterDir.resolve("cluster.json")
                        + ")"));
  }

  /**
   * A new client; a stream lost after its job was accepted is resumed up to {@code maxResumes}
   * times.
   */
  public PolyrunClient client(int maxResumes) {
    return clientBuilder(maxResumes).build();
  }

  /** A builder of such a client, to change more options. */
  public PolyrunClientBuilder clientBuilder(int maxResumes) {
    return PolyrunClient.builder(target())
        .apiKey(apiKey().orElse(null))
        .useTls(tls)
        .trustCertificates(ca)
        .maxResumes(maxResumes)
        .deadline(Duration.ofSeconds(30))
        .userAgent("polyrun-loadtest");
  }

  /** {@link #channels} clients. */
  public ClientPool pool(int maxResumes) {
    return new ClientPool(channels, () -> client(maxResumes));
  }

  private static Optional<String> read(Path file) {
    try {
      String s = Files.readString(file, StandardCharsets.UTF_8).strip();
      return s.isEmpty() ? Optional.empty() : Optional.of(s);
    } catch (IOException | SecurityException e) {
      return Optional.empty();
    }
  }
}
