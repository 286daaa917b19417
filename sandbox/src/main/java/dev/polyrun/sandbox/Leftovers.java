package dev.polyrun.sandbox;

import dev.polyrun.sandbox.internal.RuncSandbox;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a worker with a given state directory left on this host: work directories, bundles,
 * containers, mounts, stage cgroups and processes of the sandbox user. Empty after every job; a
 * worker's start sweeps what a crash left.
 */
public final class Leftovers {
  private Leftovers() {}

  /** One line per leftover, e.g. "cgroup: <name>"; empty when the host is clean. */
  public static List<String> of(Path stateDirectory, int sandboxHostUid) throws IOException {
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
    for (Path cg : List.of(Path.of("/sys/fs/cgroup/pids/polyrun", instance), Path.of("/sys/fs/cgroup/polyrun", instance))) {
      if (Files.isDirectory(cg)) {
        try (Stream<Path> list = Files.list(cg)) {
          list.filter(Files::isDirectory).forEach(p -> left.add("cgroup: " + p.getFileName()));
        }
      }
    }
    left.addAll(processesOf(sandboxHostUid));
    return left;
  }

  private static List<String> processesOf(int uid) throws IOException {
    List<String> found = new ArrayList<>();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path proc : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
        try {
          for (String line : Files.readAllLines(proc.resolve("status"))) {
            if (line.startsWith("Uid:") && line.split("\\s+")[1].equals(Integer.toString(uid))) {
              found.add("process " + proc.getFileName() + " of the sandbox user");
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
