package dev.polyrun.sandbox.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** A stage cgroup on the v1 (or hybrid) hierarchy: one directory per controller. */
final class CgroupV1 implements Cgroup {
  private final Factory factory;
  private final String name;
  private volatile boolean closed;

  private CgroupV1(Factory factory, String name) {
    this.factory = factory;
    this.name = name;
  }

  private Path dir(String controller) {
    return factory.root.resolve(controller).resolve(factory.parent).resolve(name);
  }

  @Override
  public String containerPath() {
    return "/" + factory.parent + "/" + name + "/ctr";
  }

  @Override
  public List<Path> joinFiles() {
    List<Path> files = new ArrayList<>();
    for (String controller : List.of("memory", "cpu", "cpuacct", "pids")) {
      Path dir = dir(controller);
      // TCP buffers are charged only in the child with accounting switched on (see create)
      if (controller.equals("memory") && Files.isDirectory(dir.resolve("ctr"))) {
        dir = dir.resolve("ctr");
      }
      Path procs = dir.resolve("cgroup.procs");
      if (!files.contains(procs)) {
        files.add(procs);
      }
    }
    return files;
  }

  @Override
  public long cpuNanos() throws IOException {
    return CgroupFiles.readLong(dir("cpuacct").resolve("cpuacct.usage"));
  }

  @Override
  public long peakMemoryBytes() throws IOException {
    Path memsw = dir("memory").resolve("memory.memsw.max_usage_in_bytes");
    if (Files.exists(memsw)) {
      return CgroupFiles.readLong(memsw);
    }
    return CgroupFiles.readLong(dir("memory").resolve("memory.max_usage_in_bytes"));
  }

  @Override
  public long oomKills() throws IOException {
    return CgroupFiles.keyed(dir("memory").resolve("memory.oom_control"), "oom_kill");
  }

  @Override
  public long limitHits() throws IOException {
    // failcnt of an ancestor stays 0 on current kernels; a peak at the limit is the evidence left.
    long limit = CgroupFiles.readLong(dir("memory").resolve("memory.limit_in_bytes"));
    long peak = CgroupFiles.readLong(dir("memory").resolve("memory.max_usage_in_bytes"));
    return peak >= limit ? 1 : 0;
  }

  @Override
  public long tcpLimitHits() throws IOException {
    // The kernel keeps no failure count for TCP memory (it stays 0): the peak is the evidence,
    // and it may pass the limit, since receiving charges even past it.
    Path limit = dir("memory").resolve("memory.kmem.tcp.limit_in_bytes");
    Path peak = dir("memory").resolve("memory.kmem.tcp.max_usage_in_bytes");
    if (!Files.exists(limit) || !Files.exists(peak)) {
      return 0;
    }
    return CgroupFiles.readLong(peak) >= CgroupFiles.readLong(limit) ? 1 : 0;
  }

  @Override
  public Limits limits() throws IOException {
    Path memory = dir("memory");
    long limit = CgroupFiles.readLong(memory.resolve("memory.limit_in_bytes"));
    Path memsw = memory.resolve("memory.memsw.limit_in_bytes");
    boolean swapLimited = Files.exists(memsw) && CgroupFiles.readLong(memsw) == limit;
    String swap =
        swapLimited
            ? "limited"
            : Cgroup.hostSwaps()
                ? "not limited (memory.memsw.* missing: boot with swapaccount=1)"
                : "no swap on this host";
    Path pids = dir("pids").resolve("pids.max");
    boolean pidsOk = Files.exists(pids) && !CgroupFiles.read(pids).equals("max");
    Path tcp = memory.resolve("memory.kmem.tcp.limit_in_bytes");
    boolean tcpOk = Files.exists(tcp) && CgroupFiles.readLong(tcp) == limit;
    return new Limits(swap, swapLimited || !Cgroup.hostSwaps(), pidsOk, tcpOk);
  }

  @Override
  public void killAll() throws IOException {
    CgroupFiles.killUntilEmpty(dir("pids"), name, CgroupFiles::kill);
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    factory.remove(name);
  }

  /** Creates v1 stage cgroups under {@code <controller>/<parent>/}. */
  static final class Factory implements Cgroup.Factory {
    private final Path root;
    private final String parent;

    Factory(Path root, String parent) {
      this.root = root;
      this.parent = parent;
    }

    @Override
    public String version() {
      return "v1";
    }

    @Override
    public Cgroup create(
        String name, long memoryBytes, int maxProcesses, int cpuQuotaMillicores, boolean limitTcp)
        throws IOException {
      CgroupV1 cgroup = new CgroupV1(this, name);
      try {
        for (String controller : List.of("memory", "cpu", "cpuacct", "pids")) {
          Files.createDirectories(cgroup.dir(controller));
        }
        Path memory = cgroup.dir("memory");
        CgroupFiles.write(memory.resolve("memory.limit_in_bytes"), Long.toString(memoryBytes));
        Path memsw = memory.resolve("memory.memsw.limit_in_bytes");
        if (Files.exists(memsw)) {
          CgroupFiles.write(memsw, Long.toString(memoryBytes));
        }
        CgroupFiles.write(memory.resolve("memory.swappiness"), "0");
        Path tcp = memory.resolve("memory.kmem.tcp.limit_in_bytes");
        if (limitTcp && Files.exists(tcp)) {
          // v1 keeps socket buffers out of memory.limit_in_bytes: they get a limit of their own,
          // here, where the failure count outlives the container. The kernel charges the buffers
          // of a cgroup only once a TCP limit was written into it: the container's own cgroup is
          // made ahead (the runtime takes it as it is) with no limit of its own but accounting on.
          CgroupFiles.write(tcp, Long.toString(memoryBytes));
          Path container = memory.resolve("ctr");
          Files.createDirectories(container);
          CgroupFiles.write(container.resolve("memory.kmem.tcp.limit_in_bytes"), "-1");
        }
        Path cpu = cgroup.dir("cpu");
        CgroupFiles.write(cpu.resolve("cpu.cfs_period_us"), "100000");
        CgroupFiles.write(
            cpu.resolve("cpu.cfs_quota_us"), Long.toString(cpuQuotaMillicores * 100L));
        CgroupFiles.write(cgroup.dir("pids").resolve("pids.max"), Integer.toString(maxProcesses));
        return cgroup;
      } catch (IOException | RuntimeException e) {
        cgroup.close();
        throw e;
      }
    }

    @Override
    public RuntimeCgroup createRuntime(String name) throws IOException {
      Path dir = root.resolve("cpuacct").resolve(parent).resolve(name + ".runtime");
      Files.createDirectories(dir);
      return new RuntimeCgroup() {
        @Override
        public void add(long pid) throws IOException {
          CgroupFiles.write(dir.resolve("cgroup.procs"), Long.toString(pid));
        }

        @Override
        public long cpuNanos() throws IOException {
          return CgroupFiles.readLong(dir.resolve("cpuacct.usage"));
        }

        @Override
        public void close() {
          remove(name + ".runtime");
        }
      };
    }

    private volatile List<Path> hierarchies;

    /**
     * Every mounted v1 hierarchy, each once (cpu and cpuacct are often one mount). Listed once:
     * hierarchies are mounted at boot, and listing them costs every stage's clean-up a dozen calls.
     */
    private List<Path> hierarchies() {
      List<Path> known = hierarchies;
      if (known == null) {
        known = listHierarchies();
        hierarchies = known.isEmpty() ? null : known;
      }
      return known;
    }

    private List<Path> listHierarchies() {
      Set<Path> seen = new LinkedHashSet<>();
      List<Path> result = new ArrayList<>();
      try (Stream<Path> list = Files.list(root)) {
        for (Path p : list.toList()) {
          if (Files.exists(p.resolve("cgroup.procs"))) {
            Path real = p.toRealPath();
            if (seen.add(real)) {
              result.add(real);
            }
          }
        }
      } catch (IOException e) {
        // an unreadable hierarchy has nothing of ours to remove
      }
      return result;
    }

    void remove(String name) {
      for (Path hierarchy : hierarchies()) {
        Path dir = hierarchy.resolve(parent).resolve(name);
        try {
          CgroupFiles.kill(CgroupFiles.pidsBelow(dir, "cgroup.procs"));
          removeWithRetry(dir);
        } catch (IOException e) {
          // reported by the sweep of the next start if it persists
        }
      }
    }

    private static void removeWithRetry(Path dir) throws IOException {
      for (int i = 0; ; i++) {
        try {
          CgroupFiles.removeTree(dir);
          return;
        } catch (IOException busy) {
          if (i >= 50) {
            throw busy;
          }
          try {
            Thread.sleep(10);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw busy;
          }
        }
      }
    }

    @Override
    public void sweep() {
      Set<String> names = new LinkedHashSet<>();
      for (Path hierarchy : hierarchies()) {
        Path mine = hierarchy.resolve(parent);
        if (!Files.isDirectory(mine)) {
          continue;
        }
        try (Stream<Path> list = Files.list(mine)) {
          list.filter(Files::isDirectory).forEach(d -> names.add(d.getFileName().toString()));
        } catch (IOException e) {
          // nothing to sweep there
        }
      }
      names.forEach(this::remove);
    }

    @Override
    public void removeParent() {
      for (Path hierarchy : hierarchies()) {
        try {
          Files.deleteIfExists(hierarchy.resolve(parent));
        } catch (IOException e) {
          // a stage is still in it (busy or not empty): the next sweep of this worker takes it
        }
      }
    }
  }
}
