package dev.polyrun.sandbox.internal;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.polyrun.sandbox.StageLimits;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes the OCI runtime configuration of one stage: the whole isolation policy, declared in one
 * place. Every stage gets new user, pid, mount, ipc, uts, cgroup and network namespaces (the
 * network namespace holds only a loopback), a read-only image, no capabilities, no_new_privs, the
 * seccomp profile of {@link SeccompProfile}, masked /proc and /sys paths and rlimits.
 */
final class OciSpec {
  /** Uid and gid of the program inside the container. */
  static final int SANDBOX_ID = 1000;

  private static final List<String> MASKED_PATHS =
      List.of(
          "/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
          "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi",
          "/sys/firmware", "/sys/devices/virtual/powercap", "/sys/kernel/debug",
          "/proc/sys/kernel/random/boot_id");
  private static final List<String> READONLY_PATHS =
      List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger");

  private OciSpec() {}

  /**
   * The configuration as JSON.
   *
   * @param hostIdBase first host uid/gid of the container's id range (container id 0 maps to it)
   * @param openFiles RLIMIT_NOFILE of the program
   * @param tmpBytes size of the container's private /tmp and /dev/shm
   */
  static JsonObject build(
      Path rootfs,
      Path workDir,
      List<String> argv,
      Map<String, String> env,
      StageLimits limits,
      String cgroupsPath,
      int hostIdBase,
      int openFiles,
      long tmpBytes,
      boolean readOnlyWork) {
    JsonObject spec = new JsonObject();
    spec.addProperty("ociVersion", "1.0.2");
    spec.add("process", process(argv, env, limits, openFiles));
    JsonObject root = new JsonObject();
    root.addProperty("path", rootfs.toString());
    root.addProperty("readonly", true);
    spec.add("root", root);
    spec.addProperty("hostname", "sandbox");
    spec.add("mounts", mounts(workDir, tmpBytes, readOnlyWork));
    spec.add("linux", linux(cgroupsPath, hostIdBase));
    return spec;
  }

  private static JsonObject process(
      List<String> argv, Map<String, String> env, StageLimits limits, int openFiles) {
    JsonObject p = new JsonObject();
    p.addProperty("terminal", false);
    JsonObject user = new JsonObject();
    user.addProperty("uid", SANDBOX_ID);
    user.addProperty("gid", SANDBOX_ID);
    p.add("user", user);
    p.add("args", strings(argv));
    JsonArray envList = new JsonArray();
    new TreeMap<>(env).forEach((k, v) -> envList.add(k + "=" + v));
    p.add("env", envList);
    p.addProperty("cwd", "/work");
    JsonObject caps = new JsonObject();
    for (String set : List.of("bounding", "effective", "inheritable", "permitted", "ambient")) {
      caps.add(set, new JsonArray());
    }
    p.add("capabilities", caps);
    JsonArray rlimits = new JsonArray();
    rlimits.add(rlimit("RLIMIT_CORE", 0));
    rlimits.add(rlimit("RLIMIT_FSIZE", limits.fileSizeBytes()));
    rlimits.add(rlimit("RLIMIT_NOFILE", openFiles));
    // Backstop only: the worker stops the stage at the cgroup's cpu time first.
    rlimits.add(rlimit("RLIMIT_CPU", limits.cpuTime().toSeconds() + 2));
    p.add("rlimits", rlimits);
    p.addProperty("noNewPrivileges", true);
    p.addProperty("oomScoreAdj", 1000);
    return p;
  }

  private static JsonArray mounts(Path workDir, long tmpBytes, boolean readOnlyWork) {
    JsonArray m = new JsonArray();
    m.add(mount("/proc", "proc", "proc", "nosuid", "noexec", "nodev"));
    m.add(mount("/dev", "tmpfs", "tmpfs", "nosuid", "strictatime", "mode=755", "size=65536k"));
    m.add(mount("/dev/pts", "devpts", "devpts", "nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"));
    m.add(mount("/dev/shm", "tmpfs", "shm", "nosuid", "noexec", "nodev", "mode=1777", "size=" + tmpBytes, "nr_inodes=1024"));
    m.add(mount("/dev/mqueue", "mqueue", "mqueue", "nosuid", "noexec", "nodev"));
    m.add(mount("/sys", "sysfs", "sysfs", "nosuid", "noexec", "nodev", "ro"));
    m.add(mount("/tmp", "tmpfs", "tmpfs", "nosuid", "nodev", "mode=1777", "size=" + tmpBytes, "nr_inodes=4096"));
    m.add(mount("/work", "bind", workDir.toString(), "rbind", "nosuid", "nodev", readOnlyWork ? "ro" : "rw"));
    return m;
  }

  private static JsonObject linux(String cgroupsPath, int hostIdBase) {
    JsonObject l = new JsonObject();
    JsonArray ns = new JsonArray();
    for (String type : List.of("pid", "network", "ipc", "uts", "mount", "user", "cgroup")) {
      JsonObject n = new JsonObject();
      n.addProperty("type", type);
      ns.add(n);
    }
    l.add("namespaces", ns);
    l.add("uidMappings", idMapping(hostIdBase));
    l.add("gidMappings", idMapping(hostIdBase));
    l.addProperty("cgroupsPath", cgroupsPath);
    l.add("maskedPaths", strings(MASKED_PATHS));
    l.add("readonlyPaths", strings(READONLY_PATHS));
    l.add("seccomp", SeccompProfile.build());
    return l;
  }

  private static JsonArray idMapping(int hostIdBase) {
    JsonObject map = new JsonObject();
    map.addProperty("containerID", 0);
    map.addProperty("hostID", hostIdBase);
    map.addProperty("size", 65536);
    JsonArray a = new JsonArray();
    a.add(map);
    return a;
  }

  private static JsonObject rlimit(String type, long value) {
    JsonObject r = new JsonObject();
    r.addProperty("type", type);
    r.addProperty("hard", value);
    r.addProperty("soft", value);
    return r;
  }

  private static JsonObject mount(String destination, String type, String source, String... options) {
    JsonObject m = new JsonObject();
    m.addProperty("destination", destination);
    m.addProperty("type", type);
    m.addProperty("source", source);
    m.add("options", strings(List.of(options)));
    return m;
  }

  static JsonArray strings(List<String> values) {
    JsonArray a = new JsonArray();
    values.forEach(a::add);
    return a;
  }
}
