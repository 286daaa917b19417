package dev.polyrun.sandbox.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.polyrun.sandbox.RuntimeFacts.Feature;
import dev.polyrun.sandbox.SandboxPolicy;
import java.util.List;
import org.junit.jupiter.api.Test;

class RuntimeProbeTest {
  private static final IdRange RANGE = new IdRange(100000, 65536);
  private static final String GOOD =
      String.join(
          "\n",
          "status NoNewPrivs:\t1",
          "status Seccomp:\t2",
          "status CapEff:\t0000000000000000",
          "uid_map          0     100000      65536",
          "tmp_inodes 4096",
          "devpts 612 600 0:80 / /dev/pts rw,nosuid,noexec,relatime - devpts devpts rw,mode=620,ptmxmode=666,max=8",
          "unshare refused");

  private static Feature feature(List<Feature> features, String name) {
    return features.stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void aProbeThatSawThePolicyReportsEveryFeatureInEffect() {
    List<Feature> f = RuntimeProbe.features(GOOD, SandboxPolicy.defaults(), RANGE);

    assertThat(f).allSatisfy(x -> assertThat(x.effective()).as(x.toString()).isTrue());
  }

  @Test
  void aFilterThatLetUnshareThroughOrWasNotLoadedIsMissing() {
    List<Feature> noFilter =
        RuntimeProbe.features(
            GOOD.replace("Seccomp:\t2", "Seccomp:\t0"), SandboxPolicy.defaults(), RANGE);
    List<Feature> leaky =
        RuntimeProbe.features(
            GOOD.replace("unshare refused", "unshare allowed"), SandboxPolicy.defaults(), RANGE);

    assertThat(feature(noFilter, "seccomp").effective()).isFalse();
    assertThat(feature(leaky, "seccomp").effective()).isFalse();
  }

  @Test
  void anotherUidMapOrTmpfsWithoutItsInodeLimitIsMissing() {
    List<Feature> f =
        RuntimeProbe.features(
            GOOD.replace("100000", "0").replace("tmp_inodes 4096", "tmp_inodes 1000000"),
            SandboxPolicy.defaults(),
            RANGE);

    assertThat(feature(f, "user namespace").effective()).isFalse();
    assertThat(feature(f, "tmpfs nr_inodes").effective()).isFalse();
  }
}
