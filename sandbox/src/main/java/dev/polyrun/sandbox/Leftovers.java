package dev.polyrun.sandbox;

import dev.polyrun.sandbox.internal.RuncSandbox;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a sandbox with a given state directory left on this host: work directories, bundles,
 * containers, mounts, stage cgroups and processes of its host id ranges. Empty after every job; a
 * worker's start sweeps what a crash left.
 */
public final class Leftovers {
  private Leftovers() {}

  /** One line per leftover, e.g. "cgroup: <name>"; empty when the host is clean. */
  public static List<String> of(Path stateDirectory) throws IOException {
    List<String> left = new ArrayList<>();
    for (String sub : List.of("work", "bundles", "runtime")) {
      Path dir = stateDirectory.resolve(sub);
      if (Files.isDirectory(dir)) {
        try (Stream<Path> list = Files.list(dir)) {
          list.forEach(p -> left.add(sub + ": " + p.getFileName()));
        }
      }
    }
    if (Files.readString(Path.of("/proc/self/mountinfo")).contains(stateDirectory.toString())) {
      left.add("a mount under " + stateDirectory);
    }
    String instance = RuncSandbox.instanceName(stateDirectory);
    for (Path cg :
        List.of(
            Path.of("/sys/fs/cgroup/pids/polyrun", instance),
            Path.of("/sys/fs/cgroup/cpuacct/polyrun", instance),
            Path.of("/sys/fs/cgroup/polyrun", instance))) {
      if (Files.isDirectory(cg)) {
        try (Stream<Path> list = Files.list(cg)) {
          list.filter(Files::isDirectory).forEach(p -> left.add("cgroup: " + p.getFileName()));
        }
      }
    }
    List<long[]> ranges = idRanges(stateDirectory);
    List<String> processes = processesOf(ranges);
    if (!processes.isEmpty()) {
      // A process SIGKILLed a moment ago may still be on its way out of /proc.
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      processes = processesOf(ranges);
    }
    left.addAll(processes);
    return left;
  }

  /** The host id ranges the sandbox used last, as {first, size}. */
  private static List<long[]> idRanges(Path stateDirectory) throws IOException {
    List<long[]> ranges = new ArrayList<>();
    Path file = stateDirectory.resolve(RuncSandbox.ID_RANGES_FILE);
    if (Files.exists(file)) {
      for (String line : Files.readAllLines(file)) {
        String[] f = line.trim().split("\\s+");
        if (f.length == 2) {
          ranges.add(new long[] {Long.parseLong(f[0]), Long.parseLong(f[1])});
        }
      }
    }
    return ranges;
  }

  private static List<String> processesOf(List<long[]> ranges) throws IOException {
    List<String> found = new ArrayList<>();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path proc : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
        try {
          List<String> status = Files.readAllLines(proc.resolve("status"));
          if (status.stream()
              .anyMatch(l -> l.startsWith("State:") && (l.contains("Z") || l.contains("X")))) {
            continue;
          }
          for (String line : status) {
            if (line.startsWith("Uid:")) {
              long uid = Long.parseLong(line.split("\\s+")[1]);
              for (long[] r : ranges) {
                if (uid >= r[0] && uid < r[0] + r[1]) {
                  found.add("process " + proc.getFileName() + " of host uid " + uid);
                }
              }
            }
          }
        } catch (IOException gone) {
          // exited while we looked
        }
      }
    }
    return found;
  }
}
