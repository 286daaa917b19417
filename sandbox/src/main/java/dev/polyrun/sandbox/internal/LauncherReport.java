package dev.polyrun.sandbox.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What polyrun's launcher reports of a stage once its program ended: the program's own wall and cpu
 * time (from exec to exit), the cpu the sandbox spent before exec, the instants the sandbox was
 * ready and the program started and ended (epoch), and how it ended.
 *
 * @param errors the sandbox's own failures, empty when it ran the program
 * @param status the program's exit code, or 128 + the signal that ended it; -1 when unknown
 * @param setupCpu cpu time of the sandbox's set-up before exec (in the stage's cgroup)
 * @param launcherCpu cpu time of the launcher's own parent process
 * @param wall from exec to exit
 * @param programCpu user and system time of the program and what it waited for
 * @param readyAt set-up done, just before exec; null if not reached
 * @param startedAt the exec; null if not reached
 * @param exitedAt the program's end; null while it runs
 * @param wallLimitHit whether the launcher stopped the program at its wall time limit
 */
record LauncherReport(
    List<String> errors,
    int status,
    Duration setupCpu,
    Duration launcherCpu,
    Duration wall,
    Duration programCpu,
    Instant readyAt,
    Instant startedAt,
    Instant exitedAt,
    boolean wallLimitHit) {

  /**
   * Reads the launcher's "key value" lines; unknown keys are ignored. The launcher writes the
   * set-up's figures at the exec and the rest at the end: a report read while the program runs has
   * no {@code exitedAt}.
   */
  static LauncherReport parse(String text) {
    List<String> errors = new ArrayList<>();
    int status = -1;
    long setup = 0;
    long self = 0;
    long wall = 0;
    long cpu = 0;
    Instant ready = null;
    Instant started = null;
    Instant exited = null;
    boolean wallHit = false;
    for (String line : text.lines().toList()) {
      int space = line.indexOf(' ');
      String key = space < 0 ? line : line.substring(0, space);
      String value = space < 0 ? "" : line.substring(space + 1).trim();
      switch (key) {
        case "error" -> errors.add(value);
        case "exit" -> status = Integer.parseInt(value);
        case "signal" -> status = 128 + Integer.parseInt(value);
        case "setup_cpu_ns" -> setup = Long.parseLong(value);
        case "launcher_cpu_ns" -> self = Long.parseLong(value);
        case "wall_ns" -> wall = Long.parseLong(value);
        case "rusage_cpu_ns" -> cpu = Long.parseLong(value);
        case "ready_epoch_ns" -> ready = epoch(value);
        case "start_epoch_ns" -> started = epoch(value);
        case "exit_epoch_ns" -> exited = epoch(value);
        case "stopped" -> wallHit = value.equals("wall");
        default -> {
          // a figure this side does not use
        }
      }
    }
    if (ready == null) {
      started = null;
    }
    return new LauncherReport(
        List.copyOf(errors),
        status,
        Duration.ofNanos(setup),
        Duration.ofNanos(self),
        Duration.ofNanos(wall),
        Duration.ofNanos(Math.max(0, cpu - setup)),
        ready,
        started,
        exited,
        wallHit);
  }

  private static Instant epoch(String nanos) {
    long n = Long.parseLong(nanos);
    return n <= 0 ? null : Instant.ofEpochSecond(0, n);
  }
}
