package dev.polyrun.sandbox.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.polyrun.config.StageLimits;
import dev.polyrun.sandbox.SandboxPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OciSpecTest {
  private static final StageLimits LIMITS =
      new StageLimits(
          Duration.ofSeconds(2), Duration.ofSeconds(5), 256L << 20, 32, 1 << 20, 16 << 20);
  private static final SandboxPolicy POLICY = SandboxPolicy.defaults();

  private static JsonObject spec(List<String> hook) {
    OciSpec.Stage stage =
        new OciSpec.Stage(
            Path.of("/images/python/rootfs"),
            Path.of("/state/work/j1"),
            false,
            List.of("python3", "main.py"),
            Map.of("PATH", "/usr/bin", "HOME", "/tmp"),
            LIMITS,
            "/polyrun/j1/ctr",
            new IdRange(165536, 65536),
            hook,
            Map.of());
    return OciSpec.build(POLICY, stage, List.of(0, 1));
  }

  private final JsonObject spec = spec(List.of("/usr/bin/tee", "/state/hooks/165536.fifo"));

  private static List<String> strings(JsonElement array) {
    List<String> out = new ArrayList<>();
    array.getAsJsonArray().forEach(e -> out.add(e.getAsString()));
    return out;
  }

  @Test
  void everyNamespaceOfThePolicyIsNewIncludingTheNetwork() {
    List<String> types = new ArrayList<>();
    spec.getAsJsonObject("linux")
        .getAsJsonArray("namespaces")
        .forEach(n -> types.add(n.getAsJsonObject().get("type").getAsString()));

    assertThat(types)
        .containsExactlyInAnyOrderElementsOf(POLICY.namespaces())
        .contains("pid", "network", "ipc", "uts", "mount", "user", "cgroup");
    spec.getAsJsonObject("linux")
        .getAsJsonArray("namespaces")
        .forEach(n -> assertThat(n.getAsJsonObject().has("path")).isFalse());
  }

  @Test
  void imageIsReadOnlyAndProgramRunsAsAnUnprivilegedUserMappedIntoTheSlotsRange() {
    assertThat(spec.getAsJsonObject("root").get("readonly").getAsBoolean()).isTrue();
    JsonObject process = spec.getAsJsonObject("process");
    assertThat(process.getAsJsonObject("user").get("uid").getAsInt()).isEqualTo(1000);
    assertThat(process.get("noNewPrivileges").getAsBoolean()).isTrue();
    process
        .getAsJsonObject("capabilities")
        .entrySet()
        .forEach(set -> assertThat(set.getValue().getAsJsonArray()).isEmpty());
    JsonObject map =
        spec.getAsJsonObject("linux").getAsJsonArray("uidMappings").get(0).getAsJsonObject();
    assertThat(map.get("hostID").getAsInt()).isEqualTo(165536);
    assertThat(map.get("containerID").getAsInt()).isZero();
    assertThat(map.get("size").getAsInt()).isEqualTo(65536);
  }

  @Test
  void environmentIsExactlyTheGivenOne() {
    assertThat(strings(spec.getAsJsonObject("process").get("env")))
        .containsExactly("HOME=/tmp", "PATH=/usr/bin");
  }

  @Test
  void everyRlimitIsSetFromThePolicyOrTheStage() {
    List<String> limits = new ArrayList<>();
    spec.getAsJsonObject("process")
        .getAsJsonArray("rlimits")
        .forEach(
            r -> {
              JsonObject o = r.getAsJsonObject();
              assertThat(o.get("soft").getAsLong()).isEqualTo(o.get("hard").getAsLong());
              limits.add(o.get("type").getAsString() + "=" + o.get("hard").getAsLong());
            });

    SandboxPolicy.Rlimits p = POLICY.rlimits();
    assertThat(limits)
        .containsExactlyInAnyOrder(
            "RLIMIT_CORE=0",
            "RLIMIT_NOFILE=" + p.nofile(),
            "RLIMIT_SIGPENDING=" + p.sigpending(),
            "RLIMIT_MEMLOCK=" + p.memlock(),
            "RLIMIT_MSGQUEUE=" + p.msgqueue(),
            "RLIMIT_RTPRIO=0",
            "RLIMIT_NICE=0",
            "RLIMIT_STACK=" + p.stack(),
            "RLIMIT_NPROC=32",
            "RLIMIT_FSIZE=" + (16 << 20),
            "RLIMIT_CPU=4");
  }

  @Test
  void workDirectoryIsTheOnlyHostPathMountedAndTmpfsMountsAreSizeAndInodeLimited() {
    List<String> binds = new ArrayList<>();
    spec.getAsJsonArray("mounts")
        .forEach(
            m -> {
              JsonObject o = m.getAsJsonObject();
              String dest = o.get("destination").getAsString();
              if (o.get("type").getAsString().equals("bind")) {
                binds.add(o.get("source").getAsString() + "->" + dest);
              }
              if (dest.equals("/tmp")) {
                assertThat(strings(o.get("options")))
                    .contains(
                        "size=" + POLICY.filesystem().tmp().sizeBytes(),
                        "nr_inodes=" + POLICY.filesystem().tmp().inodes(),
                        "nosuid",
                        "nodev");
              }
              if (dest.equals("/dev/shm")) {
                assertThat(strings(o.get("options")))
                    .contains("nr_inodes=" + POLICY.filesystem().devShm().inodes());
              }
              if (dest.equals("/dev/pts")) {
                assertThat(strings(o.get("options")))
                    .contains("newinstance", "max=" + POLICY.filesystem().devPtsMax());
              }
            });

    assertThat(binds).containsExactly("/state/work/j1->/work");
  }

  @Test
  void masksProcAndSysPathsWithOneThermalThrottlePathPerCpu() {
    JsonObject linux = spec.getAsJsonObject("linux");

    assertThat(strings(linux.get("maskedPaths")))
        .contains(
            "/proc/kcore",
            "/proc/keys",
            "/proc/interrupts",
            "/sys/firmware",
            "/sys/devices/system/cpu/cpu0/thermal_throttle",
            "/sys/devices/system/cpu/cpu1/thermal_throttle")
        .noneMatch(p -> p.contains("{cpu}"));
    assertThat(strings(linux.get("readonlyPaths"))).contains("/proc/sys", "/proc/sysrq-trigger");
  }

  @Test
  void hooksTimeTheContainersCreationAndStartOnlyWhenAsked() {
    JsonObject hooks = spec.getAsJsonObject("hooks");

    assertThat(hooks.keySet()).containsExactlyInAnyOrder("createRuntime", "poststart");
    assertThat(strings(hooks.getAsJsonArray("poststart").get(0).getAsJsonObject().get("args")))
        .containsExactly("/usr/bin/tee", "/state/hooks/165536.fifo");
    assertThat(spec(List.of()).has("hooks")).isFalse();
  }
}
