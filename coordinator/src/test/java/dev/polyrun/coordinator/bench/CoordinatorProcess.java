package dev.polyrun.coordinator.bench;

import dev.polyrun.coordinator.CoordinatorMain;
import dev.polyrun.queue.testing.TestRedis;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A coordinator in a JVM of its own, started as an operator would ({@link CoordinatorMain} with
 * settings in the environment), so that its CPU, its threads and its Redis connections are its own
 * and can be profiled and counted.
 */
final class CoordinatorProcess implements AutoCloseable {
  final int grpcPort = TestRedis.freePort();
  final int httpPort = TestRedis.freePort();
  private final Process process;

  CoordinatorProcess(
      String redisUri,
      Path tenantsFile,
      Map<String, String> settings,
      List<String> jvmFlags,
      Path log) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmFlags);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(CoordinatorMain.class.getName());
    ProcessBuilder pb =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    Map<String, String> env = pb.environment();
    env.put("POLYRUN_REDIS_ADDRESS", redisUri);
    env.put("POLYRUN_COORDINATOR_GRPC_PORT", Integer.toString(grpcPort));
    env.put("POLYRUN_COORDINATOR_HTTP_PORT", Integer.toString(httpPort));
    env.put("POLYRUN_COORDINATOR_AUTH", "keys");
    env.put("POLYRUN_COORDINATOR_TENANTS_FILE", tenantsFile.toString());
    env.put("POLYRUN_COORDINATOR_ADMISSION_MAX_QUEUE_DEPTH", "0"); // no worker: every job waits
    env.put("POLYRUN_COORDINATOR_ADMISSION_MAX_QUEUE_AGE", "0s");
    settings.forEach(
        (k, v) ->
            env.put(
                "POLYRUN_"
                    + k.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_'),
                v));
    try {
      process = pb.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    awaitPort(grpcPort, log);
  }

  long pid() {
    return process.pid();
  }

  /** The coordinator's Prometheus text. */
  String metrics() throws IOException, InterruptedException {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  /**
   * TCP connections this process holds to {@code port} now, as the kernel lists them ({@code ss}).
   */
  long connectionsTo(int port) {
    try {
      Process ss =
          new ProcessBuilder("ss", "-Htnp", "dst", "127.0.0.1:" + port)
              .redirectErrorStream(true)
              .start();
      String out = new String(ss.getInputStream().readAllBytes());
      ss.waitFor();
      return out.lines().filter(l -> l.contains("pid=" + process.pid() + ",")).count();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private void awaitPort(int port, Path log) {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the coordinator exited: " + tail(log));
      }
      try (Socket ignored = new Socket("127.0.0.1", port)) {
        return;
      } catch (IOException notYet) {
        sleep(100);
      }
    }
    throw new IllegalStateException("the coordinator did not listen within 60 s: " + tail(log));
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "(no log)";
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** SIGTERM, which also ends a flight recording into its file. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
