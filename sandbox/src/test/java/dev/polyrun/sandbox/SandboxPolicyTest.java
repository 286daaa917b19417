package dev.polyrun.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.polyrun.sandbox.PolicyOverride.Scope;
import org.junit.jupiter.api.Test;

class SandboxPolicyTest {
  private final SandboxPolicy defaults = SandboxPolicy.defaults();

  private static SandboxPolicy withSeccomp(String seccompPatch) {
    return SandboxPolicy.defaults()
        .with(PolicyOverride.parse("{\"seccomp\": " + seccompPatch + "}", "test", Scope.OPERATOR));
  }

  @Test
  void theDefaultsAreAnAllowListThatRefusesWithEpermAndSendsClone3ToEnosys() {
    SandboxPolicy.Seccomp s = defaults.seccomp();

    assertThat(s.defaultErrno()).isEqualTo("EPERM");
    assertThat(s.allowed())
        .contains("read", "write", "execve", "futex", "faccessat2")
        .doesNotContain("socket", "clone");
    assertThat(s.errno())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.names()).containsExactly("clone3");
              assertThat(r.errno()).isEqualTo("ENOSYS");
            });
  }

  @Test
  void theDefaultsRefuseWhatPolyrunRefuses() {
    assertThat(defaults.seccomp().refused())
        .contains(
            "ptrace",
            "process_vm_readv",
            "process_vm_writev",
            "kcmp",
            "io_uring_setup",
            "io_uring_enter",
            "io_uring_register",
            "keyctl",
            "bpf",
            "perf_event_open",
            "userfaultfd",
            "mount",
            "umount2",
            "move_mount",
            "open_tree",
            "fsopen",
            "unshare",
            "setns",
            "move_pages",
            "migrate_pages",
            "mbind",
            "set_mempolicy",
            "process_madvise");
    assertThat(defaults.seccomp().allowed())
        .doesNotContainAnyElementsOf(defaults.seccomp().refused());
  }

  @Test
  void everyArgumentRuleOfTheDefaultsComparesTheLow32BitsOnly() {
    assertThat(defaults.seccomp().allowedIf())
        .isNotEmpty()
        .allSatisfy(
            rule ->
                assertThat(rule.args())
                    .allSatisfy(
                        arg ->
                            assertThat(arg.mask()).isPositive().isLessThanOrEqualTo(0xffffffffL)));
  }

  @Test
  void socketIsAllowedOnlyForUnixNetlinkAndInetStreamOrDatagram() {
    assertThat(defaults.seccomp().allowedIf())
        .filteredOn(r -> r.names().contains("socket"))
        .extracting(r -> r.args().get(0).value())
        .containsOnly(1L, 16L, 2L, 10L);
    assertThat(defaults.seccomp().allowedIf())
        .filteredOn(r -> r.names().contains("socket"))
        .filteredOn(r -> r.args().get(0).value() == 2 || r.args().get(0).value() == 10)
        .allSatisfy(
            r ->
                assertThat(r.args())
                    .anySatisfy(
                        a -> {
                          assertThat(a.index()).isEqualTo(1);
                          assertThat(a.mask()).isEqualTo(0xf);
                          assertThat(a.value()).isIn(1L, 2L);
                        }));
  }

  @Test
  void aRuleThatComparesOneArgumentTwiceIsRefused() {
    assertThatThrownBy(
            () ->
                withSeccomp(
                    "{\"allowIf\": [{\"names\": [\"ioctl\"], \"args\": ["
                        + "{\"index\": 1, \"value\": 1}, {\"index\": 1, \"value\": 2}]}]}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("seccomp.allowIf[0].args[1].index")
        .hasMessageContaining("compared twice");
  }

  @Test
  void aMaskBeyondTheLow32BitsIsRefused() {
    assertThatThrownBy(
            () ->
                withSeccomp(
                    "{\"allowIf\": [{\"names\": [\"ioctl\"], \"args\": ["
                        + "{\"index\": 1, \"mask\": \"0x100000000\", \"value\": 0}]}]}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("mask")
        .hasMessageContaining("4294967295");
  }

  @Test
  void aConditionalRuleOnACallAllowedUnconditionallyIsRefused() {
    // libseccomp would let the unconditional allow win: the rule would do nothing.
    assertThatThrownBy(
            () ->
                withSeccomp(
                    "{\"allowIf\": [{\"names\": [\"read\"], \"args\": [{\"index\": 0, \"value\": 0}]}]}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'read' is also in allow");
  }

  @Test
  void aCallBothAllowedAndRefusedIsRefused() {
    assertThatThrownBy(() -> withSeccomp("{\"refuse\": [\"read\"]}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("test: seccomp.allow: 'read' is also in refuse");
  }

  @Test
  void theOperatorAllowsAndRefusesMoreWithoutCopyingTheLists() {
    SandboxPolicy p =
        withSeccomp("{\"alsoAllow\": [\"ptrace\"], \"alsoRefuse\": [\"socketpair\", \"socket\"]}");

    assertThat(p.seccomp().allowed()).contains("ptrace").doesNotContain("socketpair");
    assertThat(p.seccomp().refused()).contains("socketpair", "socket").doesNotContain("ptrace");
    assertThat(p.seccomp().allowedIf()).noneMatch(r -> r.names().contains("socket"));
  }

  @Test
  void unknownKeysAndBadValuesAreNamedWithTheirPathAndWhatWasExpected() {
    assertThatThrownBy(
            () ->
                defaults.with(
                    PolicyOverride.parse(
                        "{\"rlimits\": {\"nofiles\": 10}}", "ops.json", Scope.OPERATOR)))
        .hasMessageContaining("ops.json: rlimits.nofiles: unknown key (expected one of:");
    assertThatThrownBy(
            () ->
                defaults.with(
                    PolicyOverride.parse(
                        "{\"rlimits\": {\"nofile\": 4}}", "ops.json", Scope.OPERATOR)))
        .hasMessageContaining("ops.json: rlimits.nofile: 4 (expected: 16 to");
    assertThatThrownBy(
            () ->
                defaults.with(
                    PolicyOverride.parse(
                        "{\"namespaces\": [\"user\", \"pid\"]}", "ops.json", Scope.OPERATOR)))
        .hasMessageContaining("\"mount\"");
  }

  @Test
  void anOverrideMergesObjectsReplacesListsAndRemovesNothingItDoesNotName() {
    SandboxPolicy p =
        defaults.with(
            PolicyOverride.parse(
                "{\"rlimits\": {\"nofile\": 1024}, \"filesystem\": {\"readonlyPaths\": [\"/proc/sys\"]}}",
                "ops",
                Scope.OPERATOR));

    assertThat(p.rlimits().nofile()).isEqualTo(1024);
    assertThat(p.rlimits().stack()).isEqualTo(defaults.rlimits().stack());
    assertThat(p.filesystem().readonlyPaths()).containsExactly("/proc/sys");
    assertThat(p.filesystem().maskedPaths()).isEqualTo(defaults.filesystem().maskedPaths());
  }

  @Test
  void theWorkDirectorySizeIsPolicyThatOnlyTheOperatorChanges() {
    assertThat(defaults.filesystem().work()).isEqualTo(new SandboxPolicy.Tmpfs(64L << 20, 4096));

    SandboxPolicy p =
        defaults.with(
            PolicyOverride.parse(
                "{\"filesystem\": {\"work\": {\"sizeBytes\": 268435456}}}", "ops", Scope.OPERATOR));
    assertThat(p.filesystem().work()).isEqualTo(new SandboxPolicy.Tmpfs(256L << 20, 4096));
    assertThatThrownBy(
            () ->
                PolicyOverride.parse(
                    "{\"filesystem\": {\"work\": {\"inodes\": 1000000}}}", "lang", Scope.LANGUAGE))
        .hasMessageContaining("lang: filesystem.work: a language may not change it");
    assertThatThrownBy(
            () ->
                PolicyOverride.parse(
                    "{\"filesystem\": {\"work\": {\"sizeBytes\": 1}}}", "ops", Scope.OPERATOR))
        .hasMessageContaining("ops: filesystem.work.sizeBytes: 1 (expected:");
  }

  @Test
  void aLanguageMayChangeResourceSizesButNotIsolation() {
    PolicyOverride ok =
        PolicyOverride.parse(
            "{\"rlimits\": {\"nofile\": 4096}, \"filesystem\": {\"tmp\": {\"sizeBytes\": 268435456}},"
                + " \"cgroup\": {\"cpuMillicores\": 2000}}",
            "images/go/language.json: sandbox",
            Scope.LANGUAGE);
    assertThat(defaults.with(ok).filesystem().tmp().sizeBytes()).isEqualTo(256L << 20);

    assertThatThrownBy(
            () ->
                PolicyOverride.parse(
                    "{\"seccomp\": {\"alsoAllow\": [\"ptrace\"]}}", "lang", Scope.LANGUAGE))
        .hasMessageContaining("lang: seccomp: a language may not change it");
    assertThatThrownBy(
            () ->
                PolicyOverride.parse(
                    "{\"filesystem\": {\"maskedPaths\": []}}", "lang", Scope.LANGUAGE))
        .hasMessageContaining("filesystem.maskedPaths: a language may not change it");
    assertThatThrownBy(
            () ->
                PolicyOverride.parse(
                    "{\"cgroup\": {\"limitTcpMemory\": false}}", "lang", Scope.LANGUAGE))
        .hasMessageContaining("cgroup.limitTcpMemory");
  }

  @Test
  void theSandboxRefusesAnOperatorOverrideWhereALanguageOneIsDueAndTheOtherWayRound() {
    PolicyOverride language =
        PolicyOverride.parse("{\"rlimits\": {\"nofile\": 64}}", "lang", Scope.LANGUAGE);
    PolicyOverride operator =
        PolicyOverride.parse("{\"rlimits\": {\"nofile\": 64}}", "ops", Scope.OPERATOR);

    assertThatThrownBy(() -> SandboxOptions.builder().operatorPolicy(language))
        .hasMessageContaining("expected: OPERATOR");
    assertThatThrownBy(
            () ->
                new StageSpec(
                    "s",
                    java.nio.file.Path.of("/"),
                    null,
                    java.util.List.of("true"),
                    java.util.Map.of(),
                    new byte[0],
                    null,
                    () -> false,
                    false,
                    operator))
        .hasMessageContaining("expected: LANGUAGE");
  }
}
