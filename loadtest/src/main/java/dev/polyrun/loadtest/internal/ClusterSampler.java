package dev.polyrun.loadtest.internal;

import dev.polyrun.loadtest.ClusterDescription;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Samples what a cluster could leak, from this host: each process's RSS, threads and open
 * descriptors ({@code /proc/<pid>}); containers the runtime still lists ({@code runc list}, the
 * workers' roots and the default one); cgroups, mounts and work directories left under polyrun's
 * paths; Redis memory, keys and clients.
 */
public final class ClusterSampler implements ResourceSampler {
  private static final Path CGROUP_ROOT = Path.of("/sys/fs/cgroup");
  private final Supplier<ClusterDescription> cluster;

  /**
   * Samples the cluster {@code cluster} describes now (read again each time: pids change on
   * restart).
   */
  public ClusterSampler(Supplier<ClusterDescription> cluster) {
    this.cluster = cluster;
  }

  @Override
  public Map<String, Double> sample() {
    ClusterDescription c = cluster.get();
    Map<String, Double> values = new LinkedHashMap<>();
    for (ClusterDescription.ProcessInfo p : c.processes()) {
      Proc.rssMb(p.pid()).ifPresent(v -> values.put(p.name() + ".rss_mb", v));
      Proc.threads(p.pid()).ifPresent(v -> values.put(p.name() + ".threads", v));
      Proc.fds(p.pid()).ifPresent(v -> values.put(p.name() + ".fds", v));
    }
    values.put("host.runc_containers", (double) containers(c));
    values.put("host.polyrun_cgroups", (double) Math.max(0, cgroups(c)));
    values.put("host.polyrun_mounts", (double) mounts(c));
    values.put("host.work_dirs", (double) workDirs(c));
    values.putAll(new RedisProbe(c.redis()).figures());
    return values;
  }

  private static int containers(ClusterDescription c) {
    int count = 0;
    List<List<String>> commands = new ArrayList<>();
    commands.add(List.of("runc", "list", "-q"));
    for (ClusterDescription.ProcessInfo w : c.workers()) {
      w.runtimeRoot()
          .ifPresent(
              root -> commands.add(List.of("runc", "--root", root.toString(), "list", "-q")));
    }
    for (List<String> command : commands) {
      count += lines(command);
    }
    return count;
  }

  private static int lines(List<String> command) {
    try {
      Process p =
          new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
      return (int) out.lines().filter(l -> !l.isBlank()).count();
    } catch (IOException e) {
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }

  /**
   * Cgroups below the workers' own cgroups in every hierarchy (v1 controllers and v2), or below
   * every hierarchy's {@code polyrun} cgroup when the description names none that exists.
   */
  private static long cgroups(ClusterDescription c) {
    List<String> own = c.workers().stream().flatMap(w -> w.cgroup().stream()).toList();
    long count = count(own);
    return count >= 0 ? count : count(List.of("polyrun"));
  }

  /** Directories below the given cgroups in every hierarchy; -1 when none of them exists. */
  private static long count(List<String> cgroups) {
    List<Path> hierarchies = new ArrayList<>(List.of(CGROUP_ROOT));
    try (Stream<Path> controllers = Files.list(CGROUP_ROOT)) {
      // cpu and cpuacct are links to one hierarchy on cgroup v1: count it once.
      controllers
          .filter(p -> Files.isDirectory(p) && !Files.isSymbolicLink(p))
          .forEach(hierarchies::add);
    } catch (IOException e) {
      return -1;
    }
    long count = -1;
    for (Path hierarchy : hierarchies) {
      for (String cgroup : cgroups) {
        Path base = hierarchy.resolve(cgroup);
        if (Files.isDirectory(base)) {
          try (Stream<Path> walk = Files.walk(base)) {
            count = Math.max(count, 0) + walk.filter(Files::isDirectory).count() - 1;
          } catch (IOException | java.io.UncheckedIOException e) {
            // a cgroup went away while counting
          }
        }
      }
    }
    return count;
  }

  /** Mounts whose mount point lies in a worker's state directory. */
  private static long mounts(ClusterDescription c) {
    try {
      List<String> lines = Files.readAllLines(Path.of("/proc/self/mountinfo"));
      return lines.stream()
          .filter(
              l -> {
                String[] f = l.split(" ");
                return f.length > 4
                    && c.workers().stream()
                        .anyMatch(
                            w ->
                                w.stateDir().map(d -> f[4].startsWith(d.toString())).orElse(false));
              })
          .count();
    } catch (IOException e) {
      return 0;
    }
  }

  /** Entries in the workers' work and bundle directories. */
  private static long workDirs(ClusterDescription c) {
    long count = 0;
    for (ClusterDescription.ProcessInfo w : c.workers()) {
      for (String sub : List.of("work", "bundles")) {
        Path dir = w.stateDir().map(d -> d.resolve(sub)).orElse(null);
        if (dir != null && Files.isDirectory(dir)) {
          try (Stream<Path> list = Files.list(dir)) {
            count += list.count();
          } catch (IOException e) {
            // removed while counting
          }
        }
      }
    }
    return count;
  }
}
