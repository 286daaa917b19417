package dev.polyrun.sandbox.internal;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Translates a stage's OCI configuration (what {@link OciSpec} makes of the policy) into the stage
 * file of polyrun's own launcher ({@code src/main/c/polyrun-launcher.c}). The launcher therefore
 * applies exactly what runc would be given: one translation of the policy, two ways to run it.
 *
 * <p>The file is a sequence of records, each a keyword, a count n and n fields, all of them
 * NUL-terminated strings: arguments and environment may hold any byte but NUL.
 */
final class LauncherStage {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  private LauncherStage() {}

  /**
   * The stage file for a configuration.
   *
   * @param oci the runtime configuration of the stage, without hooks
   * @param cgroupProcs the {@code cgroup.procs} files the launcher moves the stage into
   * @param wallLimit the program's wall time limit, counted by the launcher from its exec
   * @throws IllegalArgumentException for what the launcher cannot apply (capabilities, a NUL byte)
   */
  static byte[] of(JsonObject oci, List<Path> cgroupProcs, java.time.Duration wallLimit) {
    LauncherStage s = new LauncherStage();
    JsonObject process = oci.getAsJsonObject("process");
    JsonObject linux = oci.getAsJsonObject("linux");
    s.record("namespaces", strings(linux.getAsJsonArray("namespaces"), "type"));
    if (linux.has("uidMappings")) {
      s.record("uid_map", List.of(map(linux.getAsJsonArray("uidMappings"))));
      s.record("gid_map", List.of(map(linux.getAsJsonArray("gidMappings"))));
    }
    JsonObject user = process.getAsJsonObject("user");
    s.record("uid", List.of(user.get("uid").getAsString()));
    s.record("gid", List.of(user.get("gid").getAsString()));
    if (oci.has("hostname")) {
      s.record("hostname", List.of(oci.get("hostname").getAsString()));
    }
    s.record("noNewPrivileges", List.of(process.get("noNewPrivileges").getAsBoolean() ? "1" : "0"));
    s.record("oomScoreAdj", List.of(process.get("oomScoreAdj").getAsString()));
    JsonObject caps = process.getAsJsonObject("capabilities");
    for (String set : caps.keySet()) {
      if (!caps.getAsJsonArray(set).isEmpty()) {
        throw new IllegalArgumentException(
            "capabilities."
                + set
                + ": "
                + caps.getAsJsonArray(set)
                + " (expected: [] with the polyrun launcher; use an OCI runtime for a policy with capabilities)");
      }
    }
    JsonObject root = oci.getAsJsonObject("root");
    s.record("rootfs", List.of(root.get("path").getAsString()));
    s.record("rootReadOnly", List.of(root.get("readonly").getAsBoolean() ? "1" : "0"));
    s.record("cwd", List.of(process.get("cwd").getAsString()));
    for (JsonElement e : oci.getAsJsonArray("mounts")) {
      JsonObject m = e.getAsJsonObject();
      s.record(
          "mount",
          List.of(
              m.get("destination").getAsString(),
              m.get("type").getAsString(),
              m.get("source").getAsString(),
              String.join(",", strings(m.getAsJsonArray("options"), null))));
    }
    s.record("masked", strings(linux.getAsJsonArray("maskedPaths"), null));
    s.record("readonly", strings(linux.getAsJsonArray("readonlyPaths"), null));
    for (JsonElement e : process.getAsJsonArray("rlimits")) {
      JsonObject r = e.getAsJsonObject();
      s.record(
          "rlimit",
          List.of(
              r.get("type").getAsString(),
              r.get("soft").getAsString(),
              r.get("hard").getAsString()));
    }
    s.seccomp(linux.getAsJsonObject("seccomp"));
    s.record("cgroupProcs", cgroupProcs.stream().map(Path::toString).toList());
    s.record("wallLimitNs", List.of(Long.toString(wallLimit.toNanos())));
    s.record("argv", strings(process.getAsJsonArray("args"), null));
    s.record("env", strings(process.getAsJsonArray("env"), null));
    return s.out.toByteArray();
  }

  /** The seccomp object: default errno and architecture, then allow, allowIf and errno rules. */
  private void seccomp(JsonObject seccomp) {
    JsonArray arches = seccomp.getAsJsonArray("architectures");
    if (arches.size() != 1) {
      throw new IllegalArgumentException(
          "seccomp.architectures: " + arches + " (expected: the native one only)");
    }
    record(
        "seccomp",
        List.of(seccomp.get("defaultErrnoRet").getAsString(), arches.get(0).getAsString()));
    for (JsonElement e : seccomp.getAsJsonArray("syscalls")) {
      JsonObject rule = e.getAsJsonObject();
      List<String> names = strings(rule.getAsJsonArray("names"), null);
      String action = rule.get("action").getAsString();
      if (action.equals("SCMP_ACT_ERRNO")) {
        List<String> fields = new ArrayList<>();
        fields.add(rule.get("errnoRet").getAsString());
        fields.addAll(names);
        record("errno", fields);
      } else if (!action.equals("SCMP_ACT_ALLOW")) {
        throw new IllegalArgumentException(
            "seccomp action: " + action + " (expected: SCMP_ACT_ALLOW or SCMP_ACT_ERRNO)");
      } else if (!rule.has("args")) {
        record("allow", names);
      } else {
        for (String name : names) {
          List<String> fields = new ArrayList<>(List.of(name));
          for (JsonElement a : rule.getAsJsonArray("args")) {
            JsonObject arg = a.getAsJsonObject();
            if (!arg.get("op").getAsString().equals("SCMP_CMP_MASKED_EQ")) {
              throw new IllegalArgumentException(
                  "seccomp argument op: " + arg.get("op") + " (expected: SCMP_CMP_MASKED_EQ)");
            }
            // OCI's MASKED_EQ: "value" is the mask, "valueTwo" the expected bits
            fields.addAll(
                List.of(
                    arg.get("index").getAsString(),
                    arg.get("value").getAsString(),
                    arg.get("valueTwo").getAsString()));
          }
          record("allowIf", fields);
        }
      }
    }
  }

  private static String map(JsonArray mappings) {
    StringBuilder b = new StringBuilder();
    for (JsonElement e : mappings) {
      JsonObject m = e.getAsJsonObject();
      b.append(m.get("containerID").getAsLong())
          .append(' ')
          .append(m.get("hostID").getAsLong())
          .append(' ')
          .append(m.get("size").getAsLong())
          .append('\n');
    }
    return b.toString();
  }

  private static List<String> strings(JsonArray array, String field) {
    List<String> list = new ArrayList<>();
    for (JsonElement e : array) {
      list.add(field == null ? e.getAsString() : e.getAsJsonObject().get(field).getAsString());
    }
    return list;
  }

  private void record(String key, List<String> fields) {
    field(key);
    field(Integer.toString(fields.size()));
    fields.forEach(this::field);
  }

  private void field(String value) {
    if (value.indexOf('\0') >= 0) {
      throw new IllegalArgumentException(
          "stage field: '" + value.replace("\0", "\\0") + "' (expected: no NUL byte)");
    }
    out.writeBytes(value.getBytes(StandardCharsets.UTF_8));
    out.write(0);
  }
}
