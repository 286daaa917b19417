package dev.polyrun.loadtest.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalDouble;
import java.util.stream.Stream;

/** Figures of a process from {@code /proc/<pid>}: RSS, threads, open descriptors, CPU time. */
public final class Proc {
  /** Clock ticks per second of /proc/<pid>/stat times; 100 on every Linux polyrun runs on. */
  private static final double TICKS_PER_SECOND = 100.0;

  private Proc() {}

  /** Resident memory in MiB, if the process exists. */
  public static OptionalDouble rssMb(long pid) {
    return statusField(pid, "VmRSS:").stream().mapToDouble(kb -> kb / 1024.0).findFirst();
  }

  /** Threads of the process, if it exists. */
  public static OptionalDouble threads(long pid) {
    return statusField(pid, "Threads:").stream().mapToDouble(Double::valueOf).findFirst();
  }

  /** Open file descriptors, if the process exists and may be inspected. */
  public static OptionalDouble fds(long pid) {
    try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
      return OptionalDouble.of(fds.count());
    } catch (IOException | SecurityException e) {
      return OptionalDouble.empty();
    }
  }

  /**
   * CPU time in milliseconds of the process and of its children it has waited for (utime, stime,
   * cutime, cstime): for a worker that includes every runtime and helper process it ran.
   */
  public static OptionalDouble cpuMs(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // The command name may hold spaces and parentheses: fields start after the last ')'.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long ticks =
          Long.parseLong(f[11])
              + Long.parseLong(f[12])
              + Long.parseLong(f[13])
              + Long.parseLong(f[14]);
      return OptionalDouble.of(ticks * 1000.0 / TICKS_PER_SECOND);
    } catch (IOException | RuntimeException e) {
      return OptionalDouble.empty();
    }
  }

  /** Whether the process exists. */
  public static boolean alive(long pid) {
    return pid > 0 && Files.exists(Path.of("/proc", Long.toString(pid)));
  }

  private static java.util.Optional<Long> statusField(long pid, String name) {
    try (Stream<String> lines = Files.lines(Path.of("/proc", Long.toString(pid), "status"))) {
      return lines
          .filter(l -> l.startsWith(name))
          .map(l -> Long.parseLong(l.substring(name.length()).trim().split("\\s+")[0]))
          .findFirst();
    } catch (IOException | RuntimeException e) {
      return java.util.Optional.empty();
    }
  }
}
