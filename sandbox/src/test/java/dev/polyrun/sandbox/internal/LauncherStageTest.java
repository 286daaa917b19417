package dev.polyrun.sandbox.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.polyrun.config.StageLimits;
import dev.polyrun.sandbox.PolicyOverride;
import dev.polyrun.sandbox.SandboxPolicy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LauncherStageTest {
  private static final StageLimits LIMITS =
      new StageLimits(
          Duration.ofSeconds(2), Duration.ofSeconds(5), 256L << 20, 32, 1 << 20, 16 << 20);

  private static JsonObject oci(SandboxPolicy policy, List<String> argv) {
    OciSpec.Stage stage =
        new OciSpec.Stage(
            Path.of("/images/python/rootfs"),
            Path.of("/state/work/j1"),
            true,
            argv,
            Map.of("PATH", "/usr/bin"),
            LIMITS,
            "/polyrun/j1/ctr",
            new IdRange(165536, 65536),
            List.of(),
            Map.of());
    return OciSpec.build(policy, stage, List.of(0, 1));
  }

  /** The stage file read back as the launcher reads it: keyword, count, fields. */
  private static Map<String, List<List<String>>> records(byte[] file) {
    String[] parts = new String(file, StandardCharsets.UTF_8).split("\0", -1);
    Map<String, List<List<String>>> records = new LinkedHashMap<>();
    int i = 0;
    while (i < parts.length - 1) {
      String key = parts[i++];
      int n = Integer.parseInt(parts[i++]);
      List<String> fields = new ArrayList<>();
      for (int j = 0; j < n; j++) {
        fields.add(parts[i++]);
      }
      records.computeIfAbsent(key, k -> new ArrayList<>()).add(fields);
    }
    return records;
  }

  private static Map<String, List<List<String>>> stage(SandboxPolicy policy, List<String> argv) {
    return records(
        LauncherStage.of(
            oci(policy, argv),
            List.of(Path.of("/cg/memory/j1/ctr/cgroup.procs")),
            Duration.ofSeconds(5)));
  }

  @Test
  void theLauncherGetsTheSameNamespacesIdMapsUserAndRootAsRunc() {
    Map<String, List<List<String>>> r =
        stage(SandboxPolicy.defaults(), List.of("python3", "main.py"));

    assertThat(r.get("namespaces").get(0))
        .containsExactlyElementsOf(SandboxPolicy.defaults().namespaces());
    assertThat(r.get("uid_map").get(0)).containsExactly("0 165536 65536\n");
    assertThat(r.get("gid_map").get(0)).containsExactly("0 165536 65536\n");
    assertThat(r.get("uid").get(0)).containsExactly("1000");
    assertThat(r.get("rootfs").get(0)).containsExactly("/images/python/rootfs");
    assertThat(r.get("rootReadOnly").get(0)).containsExactly("1");
    assertThat(r.get("noNewPrivileges").get(0)).containsExactly("1");
    assertThat(r.get("wallLimitNs").get(0)).containsExactly("5000000000");
    assertThat(r.get("cgroupProcs").get(0)).containsExactly("/cg/memory/j1/ctr/cgroup.procs");
  }

  @Test
  void mountsKeepTheirOptionsAndAReadOnlyWorkDirectoryStaysReadOnly() {
    Map<String, List<List<String>>> r = stage(SandboxPolicy.defaults(), List.of("true"));

    assertThat(r.get("mount"))
        .anySatisfy(
            m ->
                assertThat(m)
                    .containsExactly(
                        "/tmp",
                        "tmpfs",
                        "tmpfs",
                        "nosuid,nodev,mode=1777,size=67108864,nr_inodes=4096"));
    assertThat(r.get("mount"))
        .anySatisfy(
            m ->
                assertThat(m)
                    .containsExactly("/work", "bind", "/state/work/j1", "rbind,nosuid,nodev,ro"));
    assertThat(r.get("masked").get(0))
        .contains("/proc/kcore", "/sys/devices/system/cpu/cpu1/thermal_throttle");
    assertThat(r.get("readonly").get(0)).contains("/proc/sys");
  }

  @Test
  void everyRlimitAndTheWholeSeccompListReachTheLauncher() {
    Map<String, List<List<String>>> r = stage(SandboxPolicy.defaults(), List.of("true"));

    assertThat(r.get("rlimit"))
        .anySatisfy(l -> assertThat(l).containsExactly("RLIMIT_NPROC", "32", "32"));
    assertThat(r.get("rlimit"))
        .anySatisfy(l -> assertThat(l).containsExactly("RLIMIT_NOFILE", "512", "512"));
    assertThat(r.get("seccomp").get(0)).containsExactly("1", SeccompProfile.nativeArchitecture());
    assertThat(r.get("allow").get(0))
        .containsExactlyElementsOf(SandboxPolicy.defaults().seccomp().allowed());
    // socket(AF_INET, SOCK_STREAM): index 0 == 2 and the low four bits of index 1 == 1
    assertThat(r.get("allowIf"))
        .anySatisfy(
            a -> assertThat(a).containsExactly("socket", "0", "4294967295", "2", "1", "15", "1"));
    assertThat(r.get("errno")).anySatisfy(e -> assertThat(e).containsExactly("38", "clone3"));
    assertThat(r.get("errno")).anySatisfy(e -> assertThat(e).contains("1", "ptrace", "unshare"));
  }

  @Test
  void argumentsMayHoldSpacesAndNewlinesButNotNul() {
    assertThat(
            stage(SandboxPolicy.defaults(), List.of("sh", "-c", "echo a b\necho c"))
                .get("argv")
                .get(0))
        .containsExactly("sh", "-c", "echo a b\necho c");
    assertThatThrownBy(() -> stage(SandboxPolicy.defaults(), List.of("sh", "a\0b")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a\\0b")
        .hasMessageContaining("no NUL");
  }

  @Test
  void aPolicyWithCapabilitiesIsRefusedWithTheSetNamed() {
    SandboxPolicy withCaps =
        SandboxPolicy.defaults()
            .with(
                PolicyOverride.parse(
                    "{\"process\": {\"capabilities\": [\"CAP_NET_BIND_SERVICE\"]}}",
                    "ops.json",
                    PolicyOverride.Scope.OPERATOR));

    assertThatThrownBy(() -> stage(withCaps, List.of("true")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("CAP_NET_BIND_SERVICE")
        .hasMessageContaining("expected: []");
  }

  @Test
  void aRuleWithAnotherComparisonThanMaskedEqualityIsRefused() {
    JsonObject oci = oci(SandboxPolicy.defaults(), List.of("true"));
    JsonArray rules =
        oci.getAsJsonObject("linux").getAsJsonObject("seccomp").getAsJsonArray("syscalls");
    JsonObject rule = new JsonObject();
    rule.add("names", OciSpec.strings(List.of("socket")));
    rule.addProperty("action", "SCMP_ACT_ALLOW");
    JsonObject arg = new JsonObject();
    arg.addProperty("index", 0);
    arg.addProperty("value", 2);
    arg.addProperty("op", "SCMP_CMP_GT");
    JsonArray args = new JsonArray();
    args.add(arg);
    rule.add("args", args);
    rules.add(rule);

    assertThatThrownBy(() -> LauncherStage.of(oci, List.of(), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("SCMP_CMP_GT");
  }
}
