package dev.polyrun.loadtest.internal;

import dev.polyrun.loadtest.ClusterDescription;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Injects one fault into the cluster a {@link ClusterDescription} describes, the way an operator's
 * drill would: {@code kill -9} a worker and restart it, SIGSTOP a worker past its lease then
 * SIGCONT, restart Redis, {@code kill -9} the coordinator and restart it. Restarts run the
 * description's restart command, which returns once the process is ready again.
 */
public final class FaultInjector {
  /** The faults, by the names the CLI takes. */
  public enum Kind {
    KILL_WORKER,
    PAUSE_WORKER,
    RESTART_REDIS,
    KILL_COORDINATOR;

    /** {@code kill-worker} and so on. */
    public String label() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The kind of a label; IllegalArgumentException naming the choices otherwise. */
    public static Kind of(String label) {
      for (Kind k : values()) {
        if (k.label().equals(label.strip())) {
          return k;
        }
      }
      throw new IllegalArgumentException(
          "fault '"
              + label
              + "' (expected: kill-worker, pause-worker, restart-redis or kill-coordinator)");
    }
  }

  /**
   * A fault that was injected.
   *
   * @param recoveredNanos when the process was back ({@link System#nanoTime()}), or -1 when it was
   *     not
   */
  public record Injected(
      Kind kind, String target, long atNanos, long recoveredNanos, String detail) {}

  private static final Duration RESTART_TIMEOUT = Duration.ofSeconds(120);
  private final Supplier<ClusterDescription> cluster;

  public FaultInjector(Supplier<ClusterDescription> cluster) {
    this.cluster = cluster;
  }

  /** Injects {@code kind}; a paused worker stays stopped for {@code pause}. */
  public Injected inject(Kind kind, Duration pause) throws IOException, InterruptedException {
    ClusterDescription c = cluster.get();
    return switch (kind) {
      case KILL_WORKER -> killAndRestart(kind, worker(c, 0));
      case PAUSE_WORKER -> pauseAndResume(worker(c, c.workers().size() - 1), pause);
      case RESTART_REDIS -> restart(kind, role(c, "redis"), System.nanoTime(), "restarted");
      case KILL_COORDINATOR -> killAndRestart(kind, role(c, "coordinator"));
    };
  }

  private Injected killAndRestart(Kind kind, ClusterDescription.ProcessInfo p)
      throws IOException, InterruptedException {
    long at = System.nanoTime();
    signal(p.pid(), "KILL");
    awaitExit(p.pid());
    return restart(kind, p, at, "SIGKILL, then restarted");
  }

  private Injected pauseAndResume(ClusterDescription.ProcessInfo p, Duration pause)
      throws IOException, InterruptedException {
    long at = System.nanoTime();
    signal(p.pid(), "STOP");
    try {
      Thread.sleep(pause.toMillis());
    } finally {
      signal(p.pid(), "CONT");
    }
    return new Injected(
        Kind.PAUSE_WORKER,
        p.name(),
        at,
        System.nanoTime(),
        "SIGSTOP for " + pause.toMillis() / 1000.0 + " s, then SIGCONT");
  }

  private static Injected restart(Kind kind, ClusterDescription.ProcessInfo p, long at, String what)
      throws IOException, InterruptedException {
    if (p.restart().isEmpty()) {
      return new Injected(
          kind, p.name(), at, -1, what + ": no restart command in the cluster description");
    }
    Process restart = new ProcessBuilder(p.restart()).redirectErrorStream(true).start();
    restart.getOutputStream().close();
    byte[] out = restart.getInputStream().readAllBytes();
    boolean ended = restart.waitFor(RESTART_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    if (!ended || restart.exitValue() != 0) {
      restart.destroyForcibly();
      String tail = new String(out, StandardCharsets.UTF_8).strip();
      return new Injected(
          kind,
          p.name(),
          at,
          -1,
          what + ": restart failed: " + tail.substring(Math.max(0, tail.length() - 300)));
    }
    return new Injected(kind, p.name(), at, System.nanoTime(), what);
  }

  private static ClusterDescription.ProcessInfo worker(ClusterDescription c, int index) {
    List<ClusterDescription.ProcessInfo> workers = c.workers();
    if (workers.isEmpty()) {
      throw new IllegalArgumentException(
          "the cluster description names no worker (expected: a process of role worker)");
    }
    return workers.get(Math.max(0, index));
  }

  private static ClusterDescription.ProcessInfo role(ClusterDescription c, String role) {
    return c.first(role)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "the cluster description names no "
                        + role
                        + " (expected: a process of role "
                        + role
                        + ")"));
  }

  static void signal(long pid, String signal) throws IOException, InterruptedException {
    Process kill =
        new ProcessBuilder("kill", "-" + signal, Long.toString(pid))
            .redirectErrorStream(true)
            .start();
    kill.waitFor(10, TimeUnit.SECONDS);
  }

  private static void awaitExit(long pid) throws InterruptedException {
    for (int i = 0; i < 200 && Proc.alive(pid) && !zombie(pid); i++) {
      Thread.sleep(50);
    }
  }

  private static boolean zombie(long pid) {
    try {
      String stat =
          java.nio.file.Files.readString(
              java.nio.file.Path.of("/proc", Long.toString(pid), "stat"));
      return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }
}
