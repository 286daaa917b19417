package dev.polyrun.sandbox.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.polyrun.sandbox.StageLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OciSpecTest {
  private static final StageLimits LIMITS =
      new StageLimits(Duration.ofSeconds(2), Duration.ofSeconds(5), 256L << 20, 32, 1 << 20, 16 << 20);
  private final JsonObject spec = OciSpec.build(Path.of("/images/python/rootfs"), Path.of("/state/work/j1"),
      List.of("python3", "main.py"), Map.of("PATH", "/usr/bin", "HOME", "/tmp"), LIMITS, "/polyrun/j1/ctr",
      100000, 512, 64 << 20, false);

  private static List<String> strings(JsonElement array) {
    List<String> out = new ArrayList<>();
    array.getAsJsonArray().forEach(e -> out.add(e.getAsString()));
    return out;
  }

  @Test
  void everyNamespaceIsNewIncludingTheNetwork() {
    List<String> types = new ArrayList<>();
    spec.getAsJsonObject("linux").getAsJsonArray("namespaces")
        .forEach(n -> types.add(n.getAsJsonObject().get("type").getAsString()));

    assertThat(types).containsExactlyInAnyOrder("pid", "network", "ipc", "uts", "mount", "user", "cgroup");
    spec.getAsJsonObject("linux").getAsJsonArray("namespaces")
        .forEach(n -> assertThat(n.getAsJsonObject().has("path")).isFalse());
  }

  @Test
  void imageIsReadOnlyAndProgramRunsAsAnUnprivilegedMappedUser() {
    assertThat(spec.getAsJsonObject("root").get("readonly").getAsBoolean()).isTrue();
    JsonObject process = spec.getAsJsonObject("process");
    assertThat(process.getAsJsonObject("user").get("uid").getAsInt()).isEqualTo(1000);
    assertThat(process.get("noNewPrivileges").getAsBoolean()).isTrue();
    process.getAsJsonObject("capabilities").entrySet()
        .forEach(set -> assertThat(set.getValue().getAsJsonArray()).isEmpty());
    JsonObject map = spec.getAsJsonObject("linux").getAsJsonArray("uidMappings").get(0).getAsJsonObject();
    assertThat(map.get("hostID").getAsInt()).isEqualTo(100000);
    assertThat(map.get("containerID").getAsInt()).isZero();
  }

  @Test
  void environmentIsExactlyTheGivenOne() {
    assertThat(strings(spec.getAsJsonObject("process").get("env"))).containsExactly("HOME=/tmp", "PATH=/usr/bin");
  }

  @Test
  void rlimitsCapFileSizeOpenFilesAndCoreDumps() {
    List<String> limits = new ArrayList<>();
    spec.getAsJsonObject("process").getAsJsonArray("rlimits").forEach(r -> {
      JsonObject o = r.getAsJsonObject();
      limits.add(o.get("type").getAsString() + "=" + o.get("hard").getAsLong());
    });

    assertThat(limits).contains("RLIMIT_CORE=0", "RLIMIT_FSIZE=" + (16 << 20), "RLIMIT_NOFILE=512");
  }

  @Test
  void workDirectoryIsTheOnlyHostPathMountedAndTmpIsSizeAndInodeLimited() {
    List<String> binds = new ArrayList<>();
    spec.getAsJsonArray("mounts").forEach(m -> {
      JsonObject o = m.getAsJsonObject();
      if (o.get("type").getAsString().equals("bind")) {
        binds.add(o.get("source").getAsString() + "->" + o.get("destination").getAsString());
      }
      if (o.get("destination").getAsString().equals("/tmp")) {
        assertThat(strings(o.get("options"))).contains("size=" + (64 << 20), "nr_inodes=4096", "nosuid", "nodev");
      }
    });

    assertThat(binds).containsExactly("/state/work/j1->/work");
  }

  @Test
  void seccompDeniesTheDangerousCallsAndMasksProc() {
    JsonObject linux = spec.getAsJsonObject("linux");
    List<String> denied = new ArrayList<>();
    linux.getAsJsonObject("seccomp").getAsJsonArray("syscalls").forEach(r -> {
      JsonObject o = r.getAsJsonObject();
      if (!o.has("args")) {
        denied.addAll(strings(o.get("names")));
      }
    });

    assertThat(denied).contains("io_uring_setup", "keyctl", "add_key", "ptrace", "mount", "umount2", "unshare",
        "setns", "bpf", "perf_event_open", "clock_settime", "settimeofday", "clone3");
    assertThat(strings(linux.getAsJsonObject("seccomp").get("architectures"))).doesNotContain("SCMP_ARCH_X86", "SCMP_ARCH_X32");
    assertThat(strings(linux.get("maskedPaths"))).contains("/proc/kcore", "/proc/keys", "/sys/firmware");
    assertThat(strings(linux.get("readonlyPaths"))).contains("/proc/sys", "/proc/sysrq-trigger");
  }
}
