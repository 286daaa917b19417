package dev.polyrun.loadtest.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A real local cluster for the integration tests, started once for all of them with {@code
 * bin/local-cluster start --workers 2 --slots 1} in a temporary directory (a 3 s lease, so a paused
 * worker's jobs move within seconds), and stopped when the test run ends. Needs root, runc, Redis
 * and the built python, c and cpp images, like the rest of the integration tests.
 */
public final class LocalClusterExtension implements ParameterResolver {
  /** The checkout (failsafe sets {@code polyrun.root}). */
  public static final Path ROOT =
      Path.of(System.getProperty("polyrun.root", "..")).toAbsolutePath().normalize();

  /** Where the images are built. */
  public static final Path IMAGES =
      Path.of(System.getProperty("polyrun.images.dir", "/var/lib/polyrun/images"));

  /** The queue lease of the test cluster. */
  public static final String LEASE = "3s";

  /** The running cluster, shared by every test class. */
  public record Cluster(Path dir) implements ExtensionContext.Store.CloseableResource {
    public String addr() throws IOException {
      return Files.readString(dir.resolve("addr")).strip();
    }

    public Path description() {
      return dir.resolve("cluster.json");
    }

    @Override
    public void close() throws Exception {
      run(List.of(ROOT.resolve("bin/local-cluster").toString(), "stop"), dir, 120);
      try (var walk = Files.walk(dir)) {
        for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == Cluster.class;
  }

  /** The cluster of this test run, started by the first test that asks for it. */
  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context
        .getRoot()
        .getStore(ExtensionContext.Namespace.GLOBAL)
        .getOrComputeIfAbsent(Cluster.class, k -> start(), Cluster.class);
  }

  private static Cluster start() {
    try {
      Path dir = Files.createTempDirectory("polyrun-loadtest-cluster");
      run(
          List.of(
              ROOT.resolve("bin/local-cluster").toString(),
              "start",
              "--workers",
              "2",
              "--slots",
              "1"),
          dir,
          180);
      return new Cluster(dir);
    } catch (IOException e) {
      throw new IllegalStateException("cannot start the local cluster: " + e.getMessage(), e);
    }
  }

  static String run(List<String> command, Path clusterDir, int timeoutSeconds) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    env.put("POLYRUN_CLUSTER_DIR", clusterDir.toString());
    env.put("POLYRUN_IMAGE_DIR", IMAGES.toString());
    env.put("POLYRUN_QUEUE_LEASE", LEASE);
    // Other clusters may hold the default ports: let the script pick free ones.
    env.put("POLYRUN_COORDINATOR_GRPC_PORT", "0");
    env.put("POLYRUN_COORDINATOR_HTTP_PORT", "0");
    Process p = pb.start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IllegalStateException(command + " failed:\n" + out);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return out;
  }
}
