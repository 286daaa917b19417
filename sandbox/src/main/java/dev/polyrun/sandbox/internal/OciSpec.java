package dev.polyrun.sandbox.internal;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.polyrun.config.StageLimits;
import dev.polyrun.sandbox.SandboxPolicy;
import dev.polyrun.sandbox.StageSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Translates a {@link SandboxPolicy} and one stage into the OCI runtime configuration ({@code
 * config.json}) that runc, crun or runsc run. Nothing here decides policy: every value comes from
 * the policy, the stage's limits or the host (the slot's id range, the cgroup path).
 */
final class OciSpec {
  private OciSpec() {}

  /**
   * What a stage adds to the policy.
   *
   * @param rootfs the image's root filesystem
   * @param workDir host path of the work directory, mounted at {@code /work}
   * @param readOnlyWork whether {@code /work} is read-only
   * @param argv the command
   * @param env the complete environment
   * @param limits the stage's limits (RLIMIT_NPROC, RLIMIT_FSIZE and RLIMIT_CPU follow them)
   * @param cgroupsPath the container's cgroup, below the stage cgroup
   * @param ids the slot's host id range
   * @param hookCommand a command run at the runtime's createRuntime and poststart hooks with the
   *     container's state on stdin, or empty for none
   * @param extraMounts read-only bind mounts (host path to container path); only the probe uses
   *     them
   */
  record Stage(
      Path rootfs,
      Path workDir,
      boolean readOnlyWork,
      List<String> argv,
      Map<String, String> env,
      StageLimits limits,
      String cgroupsPath,
      IdRange ids,
      List<String> hookCommand,
      Map<Path, String> extraMounts) {

    /**
     * The stage {@code spec} describes, run in {@code workDir} and the cgroup at {@code
     * cgroupsPath}.
     */
    static Stage of(
        StageSpec spec,
        Path workDir,
        String cgroupsPath,
        IdRange ids,
        List<String> hookCommand,
        Map<Path, String> extraMounts) {
      return new Stage(
          spec.rootfs(),
          workDir,
          spec.readOnlyWork(),
          spec.argv(),
          spec.env(),
          spec.limits(),
          cgroupsPath,
          ids,
          hookCommand,
          extraMounts);
    }
  }

  static JsonObject build(SandboxPolicy policy, Stage stage, List<Integer> cpus) {
    JsonObject spec = new JsonObject();
    spec.addProperty("ociVersion", "1.0.2");
    spec.add("process", process(policy, stage));
    JsonObject root = new JsonObject();
    root.addProperty("path", stage.rootfs().toString());
    root.addProperty("readonly", policy.filesystem().rootReadOnly());
    spec.add("root", root);
    spec.addProperty("hostname", policy.process().hostname());
    spec.add("mounts", mounts(policy.filesystem(), stage));
    if (!stage.hookCommand().isEmpty()) {
      spec.add("hooks", hooks(stage.hookCommand()));
    }
    spec.add("linux", linux(policy, stage, cpus));
    return spec;
  }

  private static JsonObject process(SandboxPolicy policy, Stage stage) {
    SandboxPolicy.Process proc = policy.process();
    JsonObject p = new JsonObject();
    p.addProperty("terminal", false);
    JsonObject user = new JsonObject();
    user.addProperty("uid", proc.uid());
    user.addProperty("gid", proc.gid());
    p.add("user", user);
    p.add("args", strings(stage.argv()));
    JsonArray envList = new JsonArray();
    new TreeMap<>(stage.env()).forEach((k, v) -> envList.add(k + "=" + v));
    p.add("env", envList);
    p.addProperty("cwd", "/work");
    JsonObject caps = new JsonObject();
    for (String set : List.of("bounding", "effective", "inheritable", "permitted", "ambient")) {
      caps.add(set, strings(proc.capabilities()));
    }
    p.add("capabilities", caps);
    p.add("rlimits", rlimits(policy.rlimits(), stage.limits()));
    p.addProperty("noNewPrivileges", proc.noNewPrivileges());
    p.addProperty("oomScoreAdj", proc.oomScoreAdj());
    return p;
  }

  private static JsonArray rlimits(SandboxPolicy.Rlimits r, StageLimits limits) {
    JsonArray a = new JsonArray();
    a.add(rlimit("RLIMIT_CORE", r.core()));
    a.add(rlimit("RLIMIT_NOFILE", r.nofile()));
    a.add(rlimit("RLIMIT_SIGPENDING", r.sigpending()));
    a.add(rlimit("RLIMIT_MEMLOCK", r.memlock()));
    a.add(rlimit("RLIMIT_MSGQUEUE", r.msgqueue()));
    a.add(rlimit("RLIMIT_RTPRIO", r.rtprio()));
    a.add(rlimit("RLIMIT_NICE", r.nice()));
    a.add(rlimit("RLIMIT_STACK", r.stack()));
    // The pids cgroup limit is the real one; RLIMIT_NPROC holds the uid to the same number.
    a.add(rlimit("RLIMIT_NPROC", limits.maxProcesses()));
    a.add(rlimit("RLIMIT_FSIZE", limits.fileSizeBytes()));
    // Backstop only: the sandbox stops the stage at the cgroup's cpu time first.
    a.add(rlimit("RLIMIT_CPU", limits.cpuTime().toSeconds() + 2));
    return a;
  }

  private static JsonArray mounts(SandboxPolicy.Filesystem fs, Stage stage) {
    JsonArray m = new JsonArray();
    m.add(mount("/proc", "proc", "proc", "nosuid", "noexec", "nodev"));
    m.add(mount("/dev", "tmpfs", "tmpfs", "nosuid", "strictatime", "mode=755", "size=65536k"));
    if (fs.devPtsMax() > 0) {
      // Its own instance with a small max: the host's pool of ptys is never drained.
      m.add(
          mount(
              "/dev/pts",
              "devpts",
              "devpts",
              "nosuid",
              "noexec",
              "newinstance",
              "ptmxmode=0666",
              "mode=0620",
              "max=" + fs.devPtsMax()));
    }
    m.add(tmpfs("/dev/shm", "shm", fs.devShm(), "noexec", "mode=1777"));
    if (fs.mqueue()) {
      m.add(mount("/dev/mqueue", "mqueue", "mqueue", "nosuid", "noexec", "nodev"));
    }
    m.add(mount("/sys", "sysfs", "sysfs", "nosuid", "noexec", "nodev", "ro"));
    m.add(tmpfs("/tmp", "tmpfs", fs.tmp(), "mode=1777"));
    m.add(
        mount(
            "/work",
            "bind",
            stage.workDir().toString(),
            "rbind",
            "nosuid",
            "nodev",
            stage.readOnlyWork() ? "ro" : "rw"));
    stage
        .extraMounts()
        .forEach(
            (host, dest) ->
                m.add(mount(dest, "bind", host.toString(), "rbind", "nosuid", "nodev", "ro")));
    return m;
  }

  private static JsonObject tmpfs(
      String destination, String source, SandboxPolicy.Tmpfs size, String... extra) {
    List<String> options = new ArrayList<>(List.of("nosuid", "nodev"));
    options.addAll(List.of(extra));
    options.add("size=" + size.sizeBytes());
    options.add("nr_inodes=" + size.inodes());
    return mount(destination, "tmpfs", source, options.toArray(String[]::new));
  }

  private static JsonObject hooks(List<String> command) {
    JsonObject hook = new JsonObject();
    hook.addProperty("path", command.get(0));
    hook.add("args", strings(command));
    hook.addProperty("timeout", 5);
    JsonObject hooks = new JsonObject();
    for (String when : List.of("createRuntime", "poststart")) {
      JsonArray list = new JsonArray();
      list.add(hook.deepCopy());
      hooks.add(when, list);
    }
    return hooks;
  }

  private static JsonObject linux(SandboxPolicy policy, Stage stage, List<Integer> cpus) {
    JsonObject l = new JsonObject();
    JsonArray ns = new JsonArray();
    for (String type : policy.namespaces()) {
      JsonObject n = new JsonObject();
      n.addProperty("type", type);
      ns.add(n);
    }
    l.add("namespaces", ns);
    if (policy.namespaces().contains("user")) {
      l.add("uidMappings", idMapping(stage.ids()));
      l.add("gidMappings", idMapping(stage.ids()));
    }
    l.addProperty("cgroupsPath", stage.cgroupsPath());
    l.add("maskedPaths", strings(expandCpus(policy.filesystem().maskedPaths(), cpus)));
    l.add("readonlyPaths", strings(policy.filesystem().readonlyPaths()));
    l.add("seccomp", SeccompProfile.build(policy.seccomp(), SeccompProfile.nativeArchitecture()));
    return l;
  }

  /** Expands {@code {cpu}} into one path per cpu of the host. */
  static List<String> expandCpus(List<String> paths, List<Integer> cpus) {
    List<String> out = new ArrayList<>();
    for (String p : paths) {
      if (p.contains("{cpu}")) {
        cpus.forEach(cpu -> out.add(p.replace("{cpu}", Integer.toString(cpu))));
      } else {
        out.add(p);
      }
    }
    return out;
  }

  private static JsonArray idMapping(IdRange ids) {
    JsonObject map = new JsonObject();
    map.addProperty("containerID", 0);
    map.addProperty("hostID", ids.first());
    map.addProperty("size", ids.size());
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

  private static JsonObject mount(
      String destination, String type, String source, String... options) {
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
