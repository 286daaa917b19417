package dev.polyrun.sandbox.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** A stage cgroup on the unified (v2) hierarchy. */
final class CgroupV2 implements Cgroup {
  private static final String CONTROLLERS = "+memory +pids +cpu";
  private final Path dir;
  private final String name;
  private final String containerPath;
  private volatile boolean closed;

  private CgroupV2(Path dir, String name, String containerPath) {
    this.dir = dir;
    this.name = name;
    this.containerPath = containerPath;
  }

  @Override
  public String containerPath() {
    return containerPath;
  }

  @Override
  public java.util.List<Path> joinFiles() throws IOException {
    // Processes live in a child: the stage cgroup hands its controllers down (no internal
    // processes).
    Path ctr = dir.resolve("ctr");
    Files.createDirectories(ctr);
    return java.util.List.of(ctr.resolve("cgroup.procs"));
  }

  @Override
  public long cpuNanos() throws IOException {
    return CgroupFiles.keyed(dir.resolve("cpu.stat"), "usage_usec") * 1000;
  }

  @Override
  public long peakMemoryBytes() throws IOException {
    Path peak = dir.resolve("memory.peak");
    if (Files.exists(peak)) {
      return CgroupFiles.readLong(peak);
    }
    return CgroupFiles.readLong(dir.resolve("memory.current"));
  }

  @Override
  public long oomKills() throws IOException {
    return CgroupFiles.keyed(dir.resolve("memory.events"), "oom_kill");
  }

  @Override
  public long limitHits() throws IOException {
    return CgroupFiles.keyed(dir.resolve("memory.events"), "max");
  }

  @Override
  public long tcpLimitHits() {
    return 0;
  }

  @Override
  public Limits limits() throws IOException {
    long limit = CgroupFiles.readLong(dir.resolve("memory.max"));
    Path swapMax = dir.resolve("memory.swap.max");
    boolean swapLimited = Files.exists(swapMax) && CgroupFiles.read(swapMax).equals("0");
    String swap =
        swapLimited
            ? "limited"
            : Cgroup.hostSwaps() ? "not limited (memory.swap.max missing)" : "no swap on this host";
    Path pids = dir.resolve("pids.max");
    boolean pidsOk = Files.exists(pids) && !CgroupFiles.read(pids).equals("max");
    // v2 charges socket buffers to memory.current: the memory limit covers them.
    return new Limits(swap, swapLimited || !Cgroup.hostSwaps(), pidsOk, limit > 0);
  }

  @Override
  public void killAll() throws IOException {
    Path kill = dir.resolve("cgroup.kill");
    CgroupFiles.killUntilEmpty(
        dir,
        name,
        pids -> {
          if (Files.exists(kill)) {
            CgroupFiles.write(kill, "1");
          } else {
            CgroupFiles.kill(pids);
          }
        });
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    Factory.remove(dir);
  }

  /** Creates v2 stage cgroups under {@code /sys/fs/cgroup/<parent>/}. */
  static final class Factory implements Cgroup.Factory {
    private final Path parent;
    private final Path root;
    private final String parentName;

    Factory(Path root, String parentName) {
      this.root = root;
      this.parentName = parentName;
      this.parent = root.resolve(parentName);
    }

    @Override
    public String version() {
      return "v2";
    }

    @Override
    public Cgroup create(
        String name, long memoryBytes, int maxProcesses, int cpuQuotaMillicores, boolean limitTcp)
        throws IOException {
      ensureParent();
      Path dir = parent.resolve(name);
      Files.createDirectories(dir);
      CgroupV2 cgroup = new CgroupV2(dir, name, "/" + parentName + "/" + name + "/ctr");
      try {
        CgroupFiles.write(dir.resolve("memory.max"), Long.toString(memoryBytes));
        Path swap = dir.resolve("memory.swap.max");
        if (Files.exists(swap)) {
          CgroupFiles.write(swap, "0");
        }
        CgroupFiles.write(dir.resolve("pids.max"), Integer.toString(maxProcesses));
        CgroupFiles.write(dir.resolve("cpu.max"), (cpuQuotaMillicores * 100L) + " 100000");
        CgroupFiles.write(dir.resolve("cgroup.subtree_control"), CONTROLLERS);
        return cgroup;
      } catch (IOException | RuntimeException e) {
        cgroup.close();
        throw e;
      }
    }

    private void ensureParent() throws IOException {
      if (!Files.isDirectory(parent)) {
        // every level from the root down delegates the controllers to the next
        Path level = root;
        for (Path part : root.relativize(parent)) {
          CgroupFiles.write(level.resolve("cgroup.subtree_control"), CONTROLLERS);
          level = level.resolve(part);
          Files.createDirectories(level);
        }
      }
      CgroupFiles.write(parent.resolve("cgroup.subtree_control"), CONTROLLERS);
    }

    @Override
    public RuntimeCgroup createRuntime(String name) throws IOException {
      ensureParent();
      Path dir = parent.resolve(name + ".runtime");
      Files.createDirectories(dir);
      return new RuntimeCgroup() {
        @Override
        public void add(long pid) throws IOException {
          CgroupFiles.write(dir.resolve("cgroup.procs"), Long.toString(pid));
        }

        @Override
        public long cpuNanos() throws IOException {
          return CgroupFiles.keyed(dir.resolve("cpu.stat"), "usage_usec") * 1000;
        }

        @Override
        public void close() {
          remove(dir);
        }
      };
    }

    static void remove(Path dir) {
      try {
        Path kill = dir.resolve("cgroup.kill");
        if (Files.exists(kill)) {
          CgroupFiles.write(kill, "1");
        } else {
          CgroupFiles.kill(CgroupFiles.pidsBelow(dir, "cgroup.procs"));
        }
        for (int i = 0; i < 50; i++) {
          try {
            CgroupFiles.removeTree(dir);
            return;
          } catch (IOException busy) {
            Thread.sleep(10);
          }
        }
      } catch (IOException e) {
        // left for the next sweep
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public void sweep() {
      if (!Files.isDirectory(parent)) {
        return;
      }
      try (Stream<Path> list = Files.list(parent)) {
        list.filter(Files::isDirectory).forEach(Factory::remove);
      } catch (IOException e) {
        // nothing to sweep
      }
    }

    @Override
    public void removeParent() {
      try {
        Files.deleteIfExists(parent);
      } catch (IOException e) {
        // a stage is still in it (busy or not empty): the next sweep of this worker takes it
      }
    }
  }
}
