package dev.polyrun.sandbox.internal;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.polyrun.sandbox.SandboxPolicy;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Translates the policy's seccomp section into the OCI {@code linux.seccomp} object. The default
 * action refuses; the filter names the host's native architecture only, so 32-bit and x32 calls
 * meet the filter's bad-architecture action (the thread is killed). runc returns ENOSYS for calls
 * numbered above every call the filter names, so C libraries fall back from calls newer than the
 * list. Names the host's libseccomp does not know are skipped by the runtime (calls of another
 * architecture, or newer than the library).
 */
final class SeccompProfile {
  private static final Map<String, Integer> ERRNOS = Map.of("EPERM", 1, "EACCES", 13, "ENOSYS", 38);

  private SeccompProfile() {}

  /** The libseccomp name of this JVM's architecture; only x86_64 and aarch64 are supported. */
  static String nativeArchitecture() {
    String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
    return switch (arch) {
      case "amd64", "x86_64" -> "SCMP_ARCH_X86_64";
      case "aarch64", "arm64" -> "SCMP_ARCH_AARCH64";
      default ->
          throw new IllegalStateException(
              "architecture: " + arch + " (expected: amd64 or aarch64)");
    };
  }

  static JsonObject build(SandboxPolicy.Seccomp policy, String architecture) {
    JsonObject s = new JsonObject();
    s.addProperty("defaultAction", "SCMP_ACT_ERRNO");
    s.addProperty("defaultErrnoRet", errno(policy.defaultErrno()));
    s.add("architectures", OciSpec.strings(List.of(architecture)));
    JsonArray rules = new JsonArray();
    rules.add(names(policy.allowed(), "SCMP_ACT_ALLOW"));
    for (SandboxPolicy.Rule rule : policy.allowedIf()) {
      JsonObject r = names(rule.names(), "SCMP_ACT_ALLOW");
      JsonArray args = new JsonArray();
      for (SandboxPolicy.ArgMatch match : rule.args()) {
        args.add(arg(match));
      }
      r.add("args", args);
      rules.add(r);
    }
    for (SandboxPolicy.ErrnoRule rule : policy.errno()) {
      rules.add(errnoRule(rule.names(), rule.errno()));
    }
    // Refused anyway by the default action; named so that the ENOSYS rule, which covers calls
    // numbered above every call in the filter, never turns these into ENOSYS.
    if (!policy.refused().isEmpty()) {
      rules.add(errnoRule(policy.refused(), policy.defaultErrno()));
    }
    s.add("syscalls", rules);
    return s;
  }

  private static JsonObject names(List<String> names, String action) {
    JsonObject r = new JsonObject();
    r.add("names", OciSpec.strings(names));
    r.addProperty("action", action);
    return r;
  }

  private static JsonObject errnoRule(List<String> names, String errno) {
    JsonObject r = names(names, "SCMP_ACT_ERRNO");
    r.addProperty("errnoRet", errno(errno));
    return r;
  }

  /**
   * {@code (arg & mask) == value} with a mask within the low 32 bits: the upper half of the
   * register is masked off, as the kernel ignores it for an int argument. (OCI's MASKED_EQ takes
   * the mask as "value" and the expected bits as "valueTwo".)
   */
  private static JsonObject arg(SandboxPolicy.ArgMatch match) {
    JsonObject arg = new JsonObject();
    arg.addProperty("index", match.index());
    arg.addProperty("value", match.mask());
    arg.addProperty("valueTwo", match.value());
    arg.addProperty("op", "SCMP_CMP_MASKED_EQ");
    return arg;
  }

  private static int errno(String name) {
    Integer n = ERRNOS.get(name);
    if (n == null) {
      throw new IllegalArgumentException(
          "errno: " + name + " (expected: one of " + ERRNOS.keySet() + ")");
    }
    return n;
  }
}
