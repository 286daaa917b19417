package dev.polyrun.worker.internal.telemetry;

import dev.polyrun.sandbox.RuntimeFacts;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;
import java.util.List;
import java.util.Locale;

/**
 * What the sandbox found on its host at start, as gauges: one series per isolation feature (1: it
 * took effect, 0: it did not) and one info series (always 1) whose attributes are the runtime, its
 * version, the cgroup version and the seccomp architecture. The facts are fixed for the worker's
 * life, so every collection reports the same values.
 */
final class SandboxFactsGauges {
  static final AttributeKey<String> FEATURE = AttributeKey.stringKey("feature");
  static final AttributeKey<Boolean> REQUIRED = AttributeKey.booleanKey("required");
  static final AttributeKey<String> RUNTIME = AttributeKey.stringKey("runtime");
  static final AttributeKey<String> RUNTIME_VERSION = AttributeKey.stringKey("runtime_version");
  static final AttributeKey<String> CGROUP_VERSION = AttributeKey.stringKey("cgroup_version");
  static final AttributeKey<String> ARCHITECTURE = AttributeKey.stringKey("architecture");

  private SandboxFactsGauges() {}

  static void register(Meter meter, RuntimeFacts facts) {
    List<Feature> features =
        facts.features().stream()
            .map(
                f ->
                    new Feature(
                        Attributes.of(FEATURE, name(f.name()), REQUIRED, f.required()),
                        f.effective() ? 1 : 0))
            .toList();
    meter
        .gaugeBuilder("polyrun.worker.sandbox.feature")
        .ofLongs()
        .setDescription(
            "Whether each isolation feature of the sandbox policy took effect at start (1) or not (0),"
                + " by feature and whether the policy requires it")
        .buildWithCallback(m -> features.forEach(f -> m.record(f.value(), f.attributes())));
    Attributes info =
        Attributes.of(
            RUNTIME,
            facts.runtime(),
            RUNTIME_VERSION,
            facts.runtimeVersion(),
            CGROUP_VERSION,
            facts.cgroupVersion(),
            ARCHITECTURE,
            facts.architecture());
    meter
        .gaugeBuilder("polyrun.worker.sandbox.info")
        .ofLongs()
        .setDescription(
            "The sandbox's runtime, its version, the cgroup version and the seccomp architecture"
                + " (attributes; the value is always 1)")
        .buildWithCallback(m -> m.record(1, info));
  }

  /** A feature's name as a label value: "user namespace" becomes "user_namespace". */
  static String name(String feature) {
    return feature.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_|_$", "");
  }

  private record Feature(Attributes attributes, long value) {}
}
