package dev.polyrun.sandbox.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Small helpers for reading and writing cgroup control files. */
final class CgroupFiles {
  private CgroupFiles() {}

  static void write(Path file, String value) throws IOException {
    Files.writeString(file, value, StandardCharsets.US_ASCII);
  }

  static String read(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.US_ASCII).trim();
  }

  static long readLong(Path file) throws IOException {
    return Long.parseLong(read(file));
  }

  /** The value of {@code key} in a flat-keyed file such as memory.events or cpu.stat, or 0. */
  static long keyed(Path file, String key) throws IOException {
    for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
      String[] parts = line.trim().split("\\s+");
      if (parts.length == 2 && parts[0].equals(key)) {
        return Long.parseLong(parts[1]);
      }
    }
    return 0;
  }

  /** Pids listed in {@code procsFile} of {@code dir} and every cgroup below it. */
  static List<Long> pidsBelow(Path dir, String procsFile) throws IOException {
    List<Long> pids = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return pids;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path d : walk.filter(Files::isDirectory).toList()) {
        Path procs = d.resolve(procsFile);
        if (!Files.exists(procs)) {
          continue;
        }
        for (String line : Files.readAllLines(procs, StandardCharsets.US_ASCII)) {
          if (!line.isBlank()) {
            pids.add(Long.parseLong(line.trim()));
          }
        }
      }
    } catch (java.io.UncheckedIOException e) {
      throw e.getCause();
    }
    return pids;
  }

  /**
   * Removes {@code dir} and the cgroups below it, deepest first (cgroups are removed with rmdir).
   */
  static void removeTree(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return;
    }
    List<Path> dirs;
    try (Stream<Path> walk = Files.walk(dir)) {
      dirs = walk.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).toList();
    }
    for (Path d : dirs) {
      Files.deleteIfExists(d);
    }
  }

  /** One way of killing what a cgroup holds: SIGKILL each pid, or write cgroup.kill. */
  interface Killer {
    void kill(List<Long> pids) throws IOException;
  }

  /**
   * Kills the processes in {@code dir} and below until none is left; gives up after about two
   * seconds of survivors.
   */
  static void killUntilEmpty(Path dir, String name, Killer killer) throws IOException {
    for (int round = 0; round < 100; round++) {
      List<Long> pids = pidsBelow(dir, "cgroup.procs");
      if (pids.isEmpty()) {
        return;
      }
      killer.kill(pids);
      try {
        Thread.sleep(round < 10 ? 2 : 20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    throw new IOException("processes survive SIGKILL in cgroup " + name);
  }

  /** SIGKILLs the pids; a pid that is already gone is ignored. */
  static void kill(List<Long> pids) {
    for (long pid : pids) {
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }
  }
}
