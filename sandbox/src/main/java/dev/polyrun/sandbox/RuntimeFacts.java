package dev.polyrun.sandbox;

import java.util.List;

/**
 * What a sandbox found on its host when it started: the runtime, the cgroup hierarchy, and whether
 * each isolation feature the policy asks for took effect (checked in a probe container run under
 * the policy itself).
 *
 * @param runtime the runtime binary
 * @param runtimeVersion the first line of its {@code --version}
 * @param cgroupVersion "v1" (hybrid included) or "v2"
 * @param architecture the seccomp architecture of the filter, e.g. SCMP_ARCH_X86_64
 * @param hostIds the host id ranges of the slots, e.g. "100000-165535, 165536-231071"
 * @param features each feature, in a fixed order
 */
public record RuntimeFacts(
    String runtime,
    String runtimeVersion,
    String cgroupVersion,
    String architecture,
    String hostIds,
    List<Feature> features) {

  public RuntimeFacts {
    features = List.copyOf(features);
  }

  /**
   * One isolation feature.
   *
   * @param name e.g. "user namespace", "seccomp", "tcp buffer limit"
   * @param required whether the policy asks for it
   * @param effective whether it took effect
   * @param detail what was seen, e.g. "uid_map 0 100000 65536"
   */
  public record Feature(String name, boolean required, boolean effective, String detail) {}

  /** Features the policy asks for that did not take effect. */
  public List<Feature> missing() {
    return features.stream().filter(f -> f.required() && !f.effective()).toList();
  }

  /** One line per fact, for the log. */
  public String describe() {
    StringBuilder s = new StringBuilder();
    s.append("runtime ")
        .append(runtimeVersion)
        .append(", cgroup ")
        .append(cgroupVersion)
        .append(", ")
        .append(architecture)
        .append(", host ids ")
        .append(hostIds);
    for (Feature f : features) {
      s.append("\n  ")
          .append(f.name())
          .append(": ")
          .append(f.effective() ? "yes" : "NO")
          .append(f.required() ? "" : " (not required)")
          .append(" - ")
          .append(f.detail());
    }
    return s.toString();
  }
}
