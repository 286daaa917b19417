package dev.polyrun.sandbox.internal;

import dev.polyrun.sandbox.SandboxPolicy;
import dev.polyrun.sandbox.StageSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The cgroup that holds one stage's container. The sandbox creates it and sets its limits; the
 * runtime puts the container in a child of it. Because the limits and the counters live here and
 * not in the runtime's own cgroup, they survive the container's deletion and can be read after the
 * program ended.
 */
interface Cgroup extends AutoCloseable {

  /**
   * Path of the runtime's child cgroup, relative to the hierarchy root, for {@code cgroupsPath}.
   */
  String containerPath();

  /**
   * The {@code cgroup.procs} files a process writes its pid into to run under this stage's limits
   * and counters, for a launcher that joins the cgroup itself rather than through a runtime. Makes
   * the container's child cgroups where the hierarchy needs them.
   */
  java.util.List<Path> joinFiles() throws IOException;

  /** Cpu time used so far by all processes, nanoseconds. */
  long cpuNanos() throws IOException;

  /** Peak memory of all processes, bytes (swap included where the kernel counts it). */
  long peakMemoryBytes() throws IOException;

  /** Number of processes the kernel OOM-killed in this cgroup. */
  long oomKills() throws IOException;

  /** How often memory use hit the limit (reclaim may have saved the program). */
  long limitHits() throws IOException;

  /** How often TCP buffer memory hit its limit (v1; v2 counts it in {@link #limitHits}). */
  long tcpLimitHits() throws IOException;

  /** Which of the requested limits the kernel took. */
  Limits limits() throws IOException;

  /** Sends SIGKILL to every process in the cgroup and its children until none is left. */
  void killAll() throws IOException;

  /** Kills what is left and removes the cgroup directories. Idempotent. */
  @Override
  void close();

  /**
   * The limits a stage cgroup got, as read back from the kernel.
   *
   * @param swap "limited", "no swap on this host", or why not
   * @param swapOk whether swap cannot exceed the memory limit
   * @param pids whether the pids limit holds
   * @param tcp whether TCP buffer memory is limited
   */
  record Limits(String swap, boolean swapOk, boolean pids, boolean tcp) {}

  /**
   * A sibling cgroup holding the runtime itself, so its cpu time can be told from the program's.
   */
  interface RuntimeCgroup extends AutoCloseable {
    /** Moves a process (all its threads) in; children it forks later start in here. */
    void add(long pid) throws IOException;

    long cpuNanos() throws IOException;

    @Override
    void close();
  }

  /**
   * Creates cgroups on this host's hierarchy (v2 when unified, else v1) under {@code
   * polyrun/<instance>}, so several workers on one host never sweep each other's stages.
   */
  static Factory detect(String instance) {
    Path root = Path.of("/sys/fs/cgroup");
    String parent = "polyrun/" + instance;
    if (Files.exists(root.resolve("cgroup.controllers"))) {
      return new CgroupV2.Factory(root, parent);
    }
    return new CgroupV1.Factory(root, parent);
  }

  /** Whether the host has swap (then the memory limit must include it). */
  static boolean hostSwaps() throws IOException {
    return Files.readAllLines(Path.of("/proc/swaps")).size() > 1;
  }

  /** Creates stage cgroups under one parent named after the worker. */
  interface Factory {
    /**
     * Creates {@code <parent>/<name>} with the limits set.
     *
     * @param cpuQuotaMillicores cpu bandwidth, 1000 per core
     * @param limitTcp whether TCP buffer memory is limited to {@code memoryBytes} too (v1)
     */
    Cgroup create(
        String name, long memoryBytes, int maxProcesses, int cpuQuotaMillicores, boolean limitTcp)
        throws IOException;

    /** Creates the cgroup of stage {@code spec}, with its limits and the policy's cpu and TCP. */
    default Cgroup create(StageSpec spec, SandboxPolicy policy) throws IOException {
      return create(
          spec.name(),
          spec.limits().memoryBytes(),
          spec.limits().maxProcesses(),
          policy.cgroup().cpuMillicores(),
          policy.cgroup().limitTcpMemory());
    }

    /** Creates {@code <parent>/<name>.runtime} for the runtime's processes. */
    RuntimeCgroup createRuntime(String name) throws IOException;

    /** Kills and removes every stage cgroup under the parent (left by a crashed worker). */
    void sweep();

    /**
     * Removes the parent itself when no stage is left in it (a sandbox that closes leaves no empty
     * cgroup behind); keeps it, quietly, when one is.
     */
    void removeParent();

    /** "v1" or "v2". */
    String version();
  }
}
