package dev.polyrun.sandbox.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.polyrun.sandbox.SandboxPolicy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SeccompProfileTest {
  private final JsonObject profile =
      SeccompProfile.build(SandboxPolicy.defaults().seccomp(), "SCMP_ARCH_X86_64");

  private List<JsonObject> rules() {
    List<JsonObject> rules = new ArrayList<>();
    profile.getAsJsonArray("syscalls").forEach(r -> rules.add(r.getAsJsonObject()));
    return rules;
  }

  @Test
  void refusesByDefaultWithEpermOnTheNativeArchitectureOnly() {
    assertThat(profile.get("defaultAction").getAsString()).isEqualTo("SCMP_ACT_ERRNO");
    assertThat(profile.get("defaultErrnoRet").getAsInt()).isEqualTo(1);
    assertThat(profile.getAsJsonArray("architectures"))
        .containsExactly(new com.google.gson.JsonPrimitive("SCMP_ARCH_X86_64"));
  }

  @Test
  void everyArgumentComparisonIsAMaskedEqualityWithinTheLow32Bits() {
    List<JsonObject> args = new ArrayList<>();
    for (JsonObject rule : rules()) {
      if (rule.has("args")) {
        rule.getAsJsonArray("args").forEach(a -> args.add(a.getAsJsonObject()));
      }
    }

    assertThat(args)
        .isNotEmpty()
        .allSatisfy(
            a -> {
              assertThat(a.get("op").getAsString()).isEqualTo("SCMP_CMP_MASKED_EQ");
              assertThat(a.get("value").getAsLong()).as("mask").isBetween(1L, 0xffffffffL);
              assertThat(a.get("valueTwo").getAsLong() & ~a.get("value").getAsLong()).isZero();
            });
  }

  @Test
  void onlyAllowRulesCarryArgumentsAndClone3GetsEnosys() {
    for (JsonObject rule : rules()) {
      if (rule.has("args")) {
        assertThat(rule.get("action").getAsString()).isEqualTo("SCMP_ACT_ALLOW");
      }
    }
    assertThat(rules())
        .anySatisfy(
            r -> {
              assertThat(r.getAsJsonArray("names"))
                  .containsExactly(new com.google.gson.JsonPrimitive("clone3"));
              assertThat(r.get("errnoRet").getAsInt()).isEqualTo(38);
            });
  }

  @Test
  void refusedCallsAreNamedSoTheRuntimesEnosysRuleNeverCoversThem() {
    JsonObject refused =
        rules().stream()
            .filter(
                r ->
                    r.getAsJsonArray("names").contains(new com.google.gson.JsonPrimitive("ptrace")))
            .findFirst()
            .orElseThrow();
    assertThat(refused.get("action").getAsString()).isEqualTo("SCMP_ACT_ERRNO");
    assertThat(refused.get("errnoRet").getAsInt()).isEqualTo(1);
    List<String> names = new ArrayList<>();
    for (JsonElement n : refused.getAsJsonArray("names")) {
      names.add(n.getAsString());
    }
    assertThat(names).containsAll(SandboxPolicy.defaults().seccomp().refused());
  }

  @Test
  void theNativeArchitectureIsTheJvmsOwn() {
    String arch = System.getProperty("os.arch");
    assertThat(SeccompProfile.nativeArchitecture())
        .isEqualTo(arch.equals("aarch64") ? "SCMP_ARCH_AARCH64" : "SCMP_ARCH_X86_64");
  }
}
