package dev.polyrun.queue.testing;

import dev.polyrun.queue.RedisSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;

/**
 * A real Redis for tests: a Testcontainers {@code redis} container where a Docker engine answers,
 * otherwise a private {@code redis-server} process on a free loopback port.
 */
public final class TestRedis implements AutoCloseable {
  private final GenericContainer<?> container;
  private Process process;
  private final Path dir;
  private final String host;
  private final int port;
  private final List<String> extraArgs;

  private TestRedis(
      GenericContainer<?> container,
      Process process,
      Path dir,
      String host,
      int port,
      List<String> extraArgs) {
    this.container = container;
    this.process = process;
    this.dir = dir;
    this.host = host;
    this.port = port;
    this.extraArgs = extraArgs;
  }

  /** Starts a Redis; the caller closes it. */
  public static TestRedis start() {
    if (dockerAvailable()) {
      GenericContainer<?> c = new GenericContainer<>("redis:7-alpine").withExposedPorts(6379);
      c.start();
      return new TestRedis(c, null, null, c.getHost(), c.getMappedPort(6379), List.of());
    }
    return startLocal(freePort());
  }

  /**
   * Starts a local redis-server on {@code port} with append-only persistence in a temp dir, and
   * {@code extraArgs} (e.g. {@code --appendfsync always}, {@code --replicaof 127.0.0.1 6379}).
   */
  public static TestRedis startLocal(int port, String... extraArgs) {
    Path dir = null;
    try {
      dir = Files.createTempDirectory("polyrun-redis");
      List<String> extra = List.of(extraArgs);
      return new TestRedis(null, launch(port, dir, extra), dir, "127.0.0.1", port, extra);
    } catch (IOException e) {
      if (dir != null) {
        deleteQuietly(dir);
      }
      throw new UncheckedIOException("cannot start redis-server (is it installed?)", e);
    }
  }

  /** A local redis-server that replicates this one (a local server too). */
  public TestRedis startReplica() {
    return startLocal(freePort(), "--replicaof", host, Integer.toString(port));
  }

  /**
   * Pauses the local redis-server (SIGSTOP): it accepts connections but answers nothing until
   * {@link #resume()}, as a Redis stalled by its host or a long fork would.
   */
  public void pause() {
    signal("STOP");
  }

  /** Lets a paused redis-server go on (SIGCONT). */
  public void resume() {
    signal("CONT");
  }

  private void signal(String name) {
    if (process == null) {
      throw new IllegalStateException("only a local redis-server can be signalled");
    }
    try {
      new ProcessBuilder("kill", "-" + name, Long.toString(process.pid()))
          .inheritIO()
          .start()
          .waitFor();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Whether the local redis-server's process is alive (a container counts as running). */
  public boolean isRunning() {
    return process == null || process.isAlive();
  }

  /** The data directory of a local redis-server (its logs, its append-only file). */
  public Path dir() {
    return dir;
  }

  /** Whether this is a local redis-server (which can be killed and restarted). */
  public boolean isLocal() {
    return process != null;
  }

  /**
   * Kills the local redis-server with SIGKILL and starts it again on the same port and data
   * directory; what it acknowledged survives through its append-only file.
   */
  public void restart() {
    kill();
    try {
      process = launch(port, dir, extraArgs);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot restart redis-server", e);
    }
  }

  private static Process launch(int port, Path dir, List<String> extraArgs) throws IOException {
    List<String> command =
        new java.util.ArrayList<>(
            List.of(
                "redis-server",
                "--port",
                Integer.toString(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "yes",
                "--dir",
                dir.toString()));
    command.addAll(extraArgs);
    Process p =
        new ProcessBuilder(command)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("redis.log").toFile()))
            .redirectErrorStream(true)
            .start();
    awaitPort(port, p, Duration.ofSeconds(10));
    return p;
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  public RedisSettings settings() {
    return RedisSettings.of(host, port);
  }

  /** {@code redis://host:port}. */
  public String uri() {
    return "redis://" + host + ":" + port;
  }

  /** Kills the local redis-server abruptly (SIGKILL); only for local servers. */
  public void kill() {
    if (process != null) {
      process.destroyForcibly();
      try {
        process.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public void close() {
    if (container != null) {
      container.stop();
    }
    if (process != null) {
      kill();
      deleteQuietly(dir);
    }
  }

  /** A TCP port free on loopback right now. */
  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean dockerAvailable() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  private static void awaitPort(int port, Process p, Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new IOException("redis-server exited with " + p.exitValue());
      }
      try (Socket ignored = new Socket("127.0.0.1", port)) {
        return;
      } catch (IOException notYet) {
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted", e);
        }
      }
    }
    p.destroyForcibly();
    throw new IOException("redis-server did not listen on " + port + " within " + timeout);
  }

  private static void deleteQuietly(Path dir) {
    try (var walk = Files.walk(dir)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException ignored) {
      // temp files only
    }
  }
}
