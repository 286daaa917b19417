package dev.polyrun.sandbox.internal;

import dev.polyrun.config.StageLimits;
import dev.polyrun.sandbox.OutputListener;
import dev.polyrun.sandbox.RuntimeFacts;
import dev.polyrun.sandbox.RuntimeFacts.Feature;
import dev.polyrun.sandbox.SandboxPolicy;
import dev.polyrun.sandbox.SandboxUnavailableException;
import dev.polyrun.sandbox.StageResult;
import dev.polyrun.sandbox.StageSpec;
import dev.polyrun.sandbox.WorkDir;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Finds out at start whether the policy's features take effect on this host: the runtime's version,
 * a stage cgroup's limits as the kernel took them, and a probe container run under the policy
 * itself (on the host's own /usr, read-only) that reports its uid map, seccomp and no_new_privs
 * state, capabilities, /tmp inode limit, devpts instance, and whether a refused call (unshare) is
 * refused.
 */
final class RuntimeProbe {
  private static final String SCRIPT =
      String.join(
          "\n",
          "sed 's/^/status /' /proc/self/status",
          "sed 's/^/uid_map /' /proc/self/uid_map",
          "echo \"tmp_inodes $(stat -f -c %c /tmp)\"",
          "grep ' /dev/pts ' /proc/self/mountinfo | sed 's/^/devpts /'",
          "if ! command -v unshare >/dev/null; then echo 'unshare missing';"
              + " elif unshare --user true 2>/dev/null; then echo 'unshare allowed'; else echo 'unshare refused'; fi");

  private RuntimeProbe() {}

  static RuntimeFacts probe(RuncSandbox sandbox) throws IOException {
    String runtime = sandbox.options().runtime();
    String version;
    try {
      version =
          Commands.run(List.of(sandbox.runtimeBinary(), "--version"))
              .lines()
              .findFirst()
              .orElse("?");
    } catch (IOException e) {
      throw new SandboxUnavailableException(
          "container runtime '" + runtime + "' does not run: " + e.getMessage(), e);
    }
    SandboxPolicy policy = sandbox.policy();
    List<Feature> features = new ArrayList<>(container(sandbox, policy));
    features.addAll(cgroup(sandbox.cgroups(), policy));
    String ids =
        sandbox.idRanges().all().stream().map(IdRange::toString).collect(Collectors.joining(", "));
    return new RuntimeFacts(
        runtime,
        version,
        sandbox.cgroups().version(),
        SeccompProfile.nativeArchitecture(),
        ids,
        features);
  }

  private static List<Feature> cgroup(Cgroup.Factory cgroups, SandboxPolicy policy)
      throws IOException {
    String name =
        "probe-" + ProcessHandle.current().pid() + "-" + Long.toHexString(System.nanoTime());
    try (Cgroup cg =
        cgroups.create(
            name,
            64L << 20,
            16,
            policy.cgroup().cpuMillicores(),
            policy.cgroup().limitTcpMemory())) {
      Cgroup.Limits limits = cg.limits();
      return List.of(
          new Feature(
              "memory+swap limit",
              policy.cgroup().limitSwap(),
              limits.swapOk(),
              "swap " + limits.swap()),
          new Feature(
              "pids limit",
              true,
              limits.pids(),
              limits.pids() ? "pids.max set" : "pids controller missing"),
          new Feature(
              "tcp buffer limit",
              policy.cgroup().limitTcpMemory(),
              limits.tcp(),
              limits.tcp()
                  ? (cgroups.version().equals("v1")
                      ? "memory.kmem.tcp.limit_in_bytes set"
                      : "charged to memory.max")
                  : "memory.kmem.tcp.limit_in_bytes missing"));
    }
  }

  private static List<Feature> container(RuncSandbox sandbox, SandboxPolicy policy)
      throws IOException {
    Map<Path, String> binds = new LinkedHashMap<>();
    // Not below the state directory: the container's root must traverse every parent of its root.
    Path root = Files.createTempDirectory("polyrun-probe");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    StageResult result;
    IdRange range;
    try (WorkDir work = sandbox.createWorkDir("probe", 1 << 20, 64)) {
      probeRoot(root, binds);
      range = ((TmpfsWorkDir) work).ids();
      StageSpec spec =
          new StageSpec(
              "probe-" + ProcessHandle.current().pid() + "-" + Long.toHexString(System.nanoTime()),
              root,
              work,
              List.of("/bin/sh", "-c", SCRIPT),
              Map.of("PATH", "/usr/bin:/bin:/usr/sbin:/sbin"),
              new byte[0],
              new StageLimits(
                  Duration.ofSeconds(10), Duration.ofSeconds(20), 64L << 20, 16, 1 << 20, 1 << 20),
              () -> false);
      result =
          sandbox.run(
              spec,
              binds,
              new OutputListener() {
                @Override
                public synchronized void stdout(byte[] chunk) {
                  out.writeBytes(chunk);
                }

                @Override
                public void stderr(byte[] chunk) {}
              });
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while probing the runtime", e);
    } finally {
      Files2.deleteTree(root);
    }
    if (!result.succeeded()) {
      throw new SandboxUnavailableException(
          "the probe container did not run under the policy: "
              + result.termination()
              + " "
              + result.detail()
              + " (exit "
              + result.exitCode()
              + ", signal "
              + result.signal()
              + ")");
    }
    return features(out.toString(StandardCharsets.UTF_8), policy, range);
  }

  static List<Feature> features(String report, SandboxPolicy policy, IdRange range) {
    Map<String, String> status = new LinkedHashMap<>();
    String uidMap = "";
    String tmpInodes = "";
    String devpts = "";
    String unshare = "";
    for (String line : report.lines().toList()) {
      if (line.startsWith("status ")) {
        String[] kv = line.substring(7).split(":", 2);
        if (kv.length == 2) {
          status.put(kv[0].trim(), kv[1].trim());
        }
      } else if (line.startsWith("uid_map ")) {
        uidMap = line.substring(8).trim().replaceAll("\\s+", " ");
      } else if (line.startsWith("tmp_inodes ")) {
        tmpInodes = line.substring(11).trim();
      } else if (line.startsWith("devpts ")) {
        devpts = line.substring(7);
      } else if (line.startsWith("unshare ")) {
        unshare = line.substring(8).trim();
      }
    }
    List<Feature> f = new ArrayList<>();
    boolean userNs = policy.namespaces().contains("user");
    f.add(
        new Feature(
            "user namespace",
            userNs,
            uidMap.equals("0 " + range.first() + " " + range.size()),
            "uid_map " + uidMap));
    String seccomp = status.getOrDefault("Seccomp", "?");
    f.add(
        new Feature(
            "seccomp",
            true,
            seccomp.equals("2") && !unshare.equals("allowed"),
            "Seccomp " + seccomp + ", unshare " + unshare));
    String nnp = status.getOrDefault("NoNewPrivs", "?");
    f.add(
        new Feature(
            "no_new_privs",
            policy.process().noNewPrivileges(),
            nnp.equals("1"),
            "NoNewPrivs " + nnp));
    String capEff = status.getOrDefault("CapEff", "?");
    f.add(
        new Feature(
            "no capabilities",
            policy.process().capabilities().isEmpty(),
            capEff.matches("0+"),
            "CapEff " + capEff));
    long inodes = policy.filesystem().tmp().inodes();
    f.add(
        new Feature(
            "tmpfs nr_inodes",
            true,
            tmpInodes.equals(Long.toString(inodes)),
            "/tmp has " + tmpInodes + " inodes (policy: " + inodes + ")"));
    int ptsMax = policy.filesystem().devPtsMax();
    f.add(
        new Feature(
            "devpts max",
            ptsMax > 0,
            ptsMax == 0 || devpts.contains("max=" + ptsMax),
            ptsMax == 0
                ? "no /dev/pts"
                : devpts.isEmpty() ? "no devpts mount" : "max=" + ptsMax + " in mountinfo"));
    return f;
  }

  /**
   * A root for the probe made of the host's own system directories, bound read-only: it needs no
   * image. Symlinked ones (a merged /usr) are symlinks here too.
   */
  private static void probeRoot(Path root, Map<Path, String> binds) throws IOException {
    // Mount points made here, as an image has them: the container's root may not write this root.
    // Modes are set, not left to the umask: the worker's service may run with umask 0077.
    for (String dir : List.of("proc", "dev", "sys", "tmp", "work", "etc")) {
      Files.createDirectories(root.resolve(dir));
    }
    for (String dir : List.of("usr", "bin", "sbin", "lib", "lib64")) {
      Path host = Path.of("/", dir);
      Path here = root.resolve(dir);
      if (Files.isSymbolicLink(host)) {
        if (!Files.isSymbolicLink(here)) {
          Files.createSymbolicLink(here, Files.readSymbolicLink(host));
        }
      } else if (Files.isDirectory(host)) {
        Files.createDirectories(here);
        binds.put(host, "/" + dir);
      }
    }
    try (var walk = Files.walk(root)) {
      for (Path p : walk.filter(p -> !Files.isSymbolicLink(p)).toList()) {
        Files.setPosixFilePermissions(
            p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
      }
    }
    // the dynamic linker's cache, not the rest of the host's /etc
    Path cache = Path.of("/etc/ld.so.cache");
    if (Files.exists(cache)) {
      Files.createFile(root.resolve("etc/ld.so.cache"));
      Files.setPosixFilePermissions(
          root.resolve("etc/ld.so.cache"), PosixFilePermissions.fromString("rw-r--r--"));
      binds.put(cache, "/etc/ld.so.cache");
    }
  }
}
