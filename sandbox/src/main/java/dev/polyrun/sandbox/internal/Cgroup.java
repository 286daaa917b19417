package dev.polyrun.sandbox.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The cgroup that holds one stage's container. The worker creates it and sets its limits; the
 * runtime puts the container in a child of it. Because the limits and the counters live here and
 * not in the runtime's own cgroup, they survive the container's deletion and can be read after
 * the program ended.
 */
interface Cgroup extends AutoCloseable {

  /** Path of the runtime's child cgroup, relative to the hierarchy root, for {@code cgroupsPath}. */
  String containerPath();

  /** Cpu time used so far by all processes, nanoseconds. */
  long cpuNanos() throws IOException;

  /** Peak memory of all processes, bytes (swap included where the kernel counts it). */
  long peakMemoryBytes() throws IOException;

  /** Number of processes the kernel OOM-killed in this cgroup. */
  long oomKills() throws IOException;

  /** How often memory use hit the limit (reclaim may have saved the program). */
  long limitHits() throws IOException;

  /** Sends SIGKILL to every process in the cgroup and its children until none is left. */
  void killAll() throws IOException;

  /** Kills what is left and removes the cgroup directories. Idempotent. */
  @Override
  void close();

  /**
   * Creates cgroups on this host's hierarchy (v2 when unified, else v1) under
   * {@code polyrun/<instance>}, so several workers on one host never sweep each other's stages.
   */
  static Factory detect(String instance) {
    Path root = Path.of("/sys/fs/cgroup");
    String parent = "polyrun/" + instance;
    if (Files.exists(root.resolve("cgroup.controllers"))) {
      return new CgroupV2.Factory(root, parent);
    }
    return new CgroupV1.Factory(root, parent);
  }

  /** Creates stage cgroups under one parent named after the worker. */
  interface Factory {
    /**
     * Creates {@code <parent>/<name>} with the limits set.
     *
     * @param cpuQuotaMillicores cpu bandwidth, 1000 per core
     */
    Cgroup create(String name, long memoryBytes, int maxProcesses, int cpuQuotaMillicores)
        throws IOException;

    /** Kills and removes every stage cgroup under the parent (left by a crashed worker). */
    void sweep();

    /** "v1" or "v2". */
    String version();
  }
}
