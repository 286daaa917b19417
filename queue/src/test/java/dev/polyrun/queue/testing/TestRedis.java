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
import java.util.function.IntFunction;
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
    return startLocalOnFreePort();
  }

  /** {@link #startLocalOnFreePort(IntFunction)} with the same {@code extraArgs} on every port. */
  public static TestRedis startLocalOnFreePort(String... extraArgs) {
    return startLocalOnFreePort(port -> extraArgs);
  }

  /**
   * Starts a local redis-server as {@link #startLocal} does, on a port free when it is chosen; when
   * another process binds that port before redis-server does, again on another port (up to five
   * times). {@code extraArgs} gives the arguments for the port chosen (a cluster bus port of its
   * own, say, picked anew on each try).
   */
  public static TestRedis startLocalOnFreePort(IntFunction<String[]> extraArgs) {
    for (int attempt = 1; ; attempt++) {
      int port = freePort();
      try {
        return startLocalOrThrow(port, extraArgs.apply(port));
      } catch (PortTakenException e) {
        if (attempt == 5) {
          throw new UncheckedIOException("cannot start redis-server: ports taken 5 times", e);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start redis-server (is it installed?)", e);
      }
    }
  }

  /**
   * Starts a local redis-server on {@code port} with append-only persistence in a temp dir, and
   * {@code extraArgs} (e.g. {@code --appendfsync always}, {@code --replicaof 127.0.0.1 6379}).
   */
  public static TestRedis startLocal(int port, String... extraArgs) {
    try {
      return startLocalOrThrow(port, extraArgs);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start redis-server (is it installed?)", e);
    }
  }

  private static TestRedis startLocalOrThrow(int port, String... extraArgs) throws IOException {
    Path dir = Files.createTempDirectory("polyrun-redis");
    try {
      List<String> extra = List.of(extraArgs);
      return new TestRedis(null, launch(port, dir, extra), dir, "127.0.0.1", port, extra);
    } catch (IOException e) {
      deleteQuietly(dir);
      throw e;
    }
  }

  /** A local redis-server that replicates this one (a local server too). */
  public TestRedis startReplica() {
    return startLocalOnFreePort(p -> new String[] {"--replicaof", host, Integer.toString(port)});
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
    Path log = dir.resolve("redis.log");
    long logStart = Files.exists(log) ? Files.size(log) : 0;
    Process p =
        new ProcessBuilder(command)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .redirectErrorStream(true)
            .start();
    awaitReady(port, p, log, logStart, Duration.ofSeconds(10));
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

  /** Another process bound the port chosen for a redis-server before it could. */
  private static final class PortTakenException extends IOException {
    private static final long serialVersionUID = 1L;

    PortTakenException(String message) {
      super(message);
    }
  }

  /**
   * Waits until this redis-server says in its log (from {@code logStart} on) that it accepts
   * connections and its port answers: a port that answers is not enough, since another process may
   * have bound it, and this redis-server then exits.
   */
  private static void awaitReady(int port, Process p, Path log, long logStart, Duration timeout)
      throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      boolean alive = p.isAlive();
      String said = logSince(log, logStart); // read after: an exit's last words are in it
      if (!alive) {
        if (said.contains("Address already in use")) {
          throw new PortTakenException("port " + port + " was taken: " + said.strip());
        }
        throw new IOException("redis-server exited with " + p.exitValue() + ": " + said.strip());
      }
      if (said.contains("Ready to accept connections")) {
        try (Socket ignored = new Socket("127.0.0.1", port)) {
          return;
        } catch (IOException notYet) {
          // the log line comes as it starts listening
        }
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
    }
    p.destroyForcibly();
    throw new IOException(
        "redis-server did not accept connections on "
            + port
            + " within "
            + timeout
            + ": "
            + logSince(log, logStart).strip());
  }

  private static String logSince(Path log, long start) throws IOException {
    byte[] all = Files.readAllBytes(log);
    int from = (int) Math.min(start, all.length);
    return new String(all, from, all.length - from, java.nio.charset.StandardCharsets.UTF_8);
  }

  private static void deleteQuietly(Path dir) {
    try (var walk = Files.walk(dir)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException ignored) {
      // temp files only
    }
  }
}
