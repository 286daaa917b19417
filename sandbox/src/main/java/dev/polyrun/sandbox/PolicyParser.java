package dev.polyrun.sandbox;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.polyrun.sandbox.SandboxPolicy.ArgMatch;
import dev.polyrun.sandbox.SandboxPolicy.ErrnoRule;
import dev.polyrun.sandbox.SandboxPolicy.Rule;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads and validates a whole policy document; every error names the file and the key. */
final class PolicyParser {
  static final Set<String> NAMESPACES =
      Set.of("user", "pid", "mount", "ipc", "uts", "network", "cgroup");

  /** Errnos a rule may return, by name. */
  static final Map<String, Integer> ERRNOS = Map.of("EPERM", 1, "EACCES", 13, "ENOSYS", 38);

  private static final String SYSCALL = "[a-z_][a-z0-9_]*";
  private static final long INT_MASK = 0xffffffffL;

  private PolicyParser() {}

  static SandboxPolicy parse(String json, String origin) {
    JsonElement root;
    try {
      root = JsonParser.parseString(json);
    } catch (JsonParseException e) {
      throw new IllegalArgumentException(origin + ": not JSON: " + e.getMessage(), e);
    }
    if (!root.isJsonObject()) {
      throw new IllegalArgumentException(origin + ": " + root + " (expected: a JSON object)");
    }
    return parse(root.getAsJsonObject(), origin);
  }

  static SandboxPolicy parse(JsonObject document, String origin) {
    JsonFields f = new JsonFields(document, origin, "");
    f.onlyKeys(
        Set.of("namespaces", "process", "rlimits", "filesystem", "cgroup", "ids", "seccomp"));
    List<String> namespaces = f.strings("namespaces", "[a-z]+");
    for (String ns : namespaces) {
      if (!NAMESPACES.contains(ns)) {
        throw f.error(
            "namespaces",
            "'" + ns + "' (expected: some of " + new java.util.TreeSet<>(NAMESPACES) + ")");
      }
    }
    if (!namespaces.contains("mount")) {
      throw f.error(
          "namespaces", namespaces + " (expected: to hold \"mount\", which every container needs)");
    }
    SandboxPolicy.Ids ids = ids(f.object("ids"));
    SandboxPolicy.Process process = process(f.object("process"), ids);
    return new SandboxPolicy(
        document,
        namespaces,
        process,
        rlimits(f.object("rlimits")),
        filesystem(f.object("filesystem")),
        cgroup(f.object("cgroup")),
        ids,
        seccomp(f.object("seccomp")));
  }

  private static SandboxPolicy.Ids ids(JsonFields f) {
    f.onlyKeys(Set.of("base", "rangeSize", "search"));
    // Below 65536 live the host's own users and system ids.
    int base = f.integer("base", 65536, Integer.MAX_VALUE);
    int size = f.integer("rangeSize", 1, 1 << 24);
    return new SandboxPolicy.Ids(base, size, f.bool("search"));
  }

  private static SandboxPolicy.Process process(JsonFields f, SandboxPolicy.Ids ids) {
    f.onlyKeys(Set.of("uid", "gid", "hostname", "noNewPrivileges", "capabilities", "oomScoreAdj"));
    // uid 0 would be the container's root, owner of its namespaces.
    int uid = f.integer("uid", 1, ids.rangeSize() - 1);
    int gid = f.integer("gid", 1, ids.rangeSize() - 1);
    return new SandboxPolicy.Process(
        uid,
        gid,
        f.string("hostname"),
        f.bool("noNewPrivileges"),
        f.strings("capabilities", "CAP_[A-Z_]+"),
        f.integer("oomScoreAdj", -1000, 1000));
  }

  private static SandboxPolicy.Rlimits rlimits(JsonFields f) {
    f.onlyKeys(
        Set.of("core", "nofile", "sigpending", "memlock", "msgqueue", "rtprio", "nice", "stack"));
    long max = Long.MAX_VALUE;
    return new SandboxPolicy.Rlimits(
        f.number("core", 0, max),
        f.number("nofile", 16, 1 << 20),
        f.number("sigpending", 0, max),
        f.number("memlock", 0, max),
        f.number("msgqueue", 0, max),
        f.number("rtprio", 0, 99),
        f.number("nice", 0, 40),
        f.number("stack", 64 << 10, max));
  }

  private static SandboxPolicy.Filesystem filesystem(JsonFields f) {
    f.onlyKeys(
        Set.of(
            "rootReadOnly",
            "work",
            "tmp",
            "devShm",
            "devPts",
            "mqueue",
            "maskedPaths",
            "readonlyPaths"));
    JsonFields pts = f.object("devPts").onlyKeys(Set.of("max"));
    return new SandboxPolicy.Filesystem(
        f.bool("rootReadOnly"),
        tmpfs(f.object("work")),
        tmpfs(f.object("tmp")),
        tmpfs(f.object("devShm")),
        pts.integer("max", 0, 4096),
        f.bool("mqueue"),
        f.strings("maskedPaths", "/[^\\s]*"),
        f.strings("readonlyPaths", "/[^\\s]*"));
  }

  private static SandboxPolicy.Tmpfs tmpfs(JsonFields f) {
    f.onlyKeys(Set.of("sizeBytes", "inodes"));
    return new SandboxPolicy.Tmpfs(
        f.number("sizeBytes", 1 << 20, Long.MAX_VALUE), f.number("inodes", 16, 1L << 32));
  }

  private static SandboxPolicy.Cgroup cgroup(JsonFields f) {
    f.onlyKeys(Set.of("cpuMillicores", "limitSwap", "limitTcpMemory"));
    return new SandboxPolicy.Cgroup(
        f.integer("cpuMillicores", 10, 1 << 20), f.bool("limitSwap"), f.bool("limitTcpMemory"));
  }

  private static SandboxPolicy.Seccomp seccomp(JsonFields f) {
    f.onlyKeys(
        Set.of("defaultErrno", "allow", "allowIf", "errno", "refuse", "alsoAllow", "alsoRefuse"));
    String defaultErrno = errno(f, "defaultErrno", f.string("defaultErrno"));
    Set<String> alsoAllow = new LinkedHashSet<>(f.optionalStrings("alsoAllow", SYSCALL));
    Set<String> alsoRefuse = new LinkedHashSet<>(f.optionalStrings("alsoRefuse", SYSCALL));
    Set<String> allowed = new LinkedHashSet<>(f.strings("allow", SYSCALL));
    Set<String> refused = new LinkedHashSet<>(f.strings("refuse", SYSCALL));
    for (String name : allowed) {
      if (refused.contains(name)) {
        throw f.error(
            "allow", "'" + name + "' is also in refuse (expected: each call in one list)");
      }
    }
    // The operator's additions win over the base lists: alsoRefuse over everything.
    allowed.addAll(alsoAllow);
    refused.removeAll(alsoAllow);
    allowed.removeAll(alsoRefuse);
    refused.addAll(alsoRefuse);
    List<Rule> rules = new ArrayList<>();
    for (JsonFields r : f.objects("allowIf")) {
      Rule rule = rule(r);
      if (rule.names().stream().anyMatch(alsoRefuse::contains)) {
        continue;
      }
      // libseccomp lets an unconditional allow win over any rule with arguments: such a rule
      // would silently do nothing.
      for (String name : rule.names()) {
        if (allowed.contains(name) || refused.contains(name)) {
          throw r.error(
              "names",
              "'" + name + "' is also in allow or refuse (expected: a call allowed one way)");
        }
      }
      rules.add(rule);
    }
    List<ErrnoRule> errnoRules = new ArrayList<>();
    Set<String> seen = new HashSet<>(allowed);
    seen.addAll(refused);
    rules.forEach(r -> seen.addAll(r.names()));
    for (JsonFields e : f.objects("errno")) {
      e.onlyKeys(Set.of("names", "errno"));
      List<String> names = e.strings("names", SYSCALL);
      for (String name : names) {
        if (!seen.add(name)) {
          throw e.error(
              "names", "'" + name + "' appears in another list (expected: each call in one list)");
        }
      }
      errnoRules.add(
          new ErrnoRule(
              names, errno(e, "errno", e.string("errno")), e.optionalString("comment", "")));
    }
    return new SandboxPolicy.Seccomp(
        defaultErrno, List.copyOf(allowed), rules, errnoRules, List.copyOf(refused));
  }

  private static String errno(JsonFields f, String key, String name) {
    if (!ERRNOS.containsKey(name)) {
      throw f.error(
          key,
          "'" + name + "' (expected: one of " + new java.util.TreeSet<>(ERRNOS.keySet()) + ")");
    }
    return name;
  }

  private static Rule rule(JsonFields r) {
    r.onlyKeys(Set.of("names", "args"));
    List<String> names = r.strings("names", SYSCALL);
    List<ArgMatch> args = new ArrayList<>();
    Set<Integer> indexes = new HashSet<>();
    for (JsonFields a : r.objects("args")) {
      a.onlyKeys(Set.of("index", "mask", "value"));
      int index = a.integer("index", 0, 5);
      // libseccomp does not combine two comparisons of one argument in one rule as "and".
      if (!indexes.add(index)) {
        throw a.error(
            "index",
            index + " is compared twice in this rule (expected: one comparison per argument)");
      }
      long mask = a.has("mask") ? a.number("mask", 1, INT_MASK) : INT_MASK;
      long value = a.number("value", 0, INT_MASK);
      if ((value & ~mask) != 0) {
        throw a.error(
            "value",
            "0x"
                + Long.toHexString(value)
                + " has bits outside the mask 0x"
                + Long.toHexString(mask));
      }
      args.add(new ArgMatch(index, mask, value));
    }
    if (args.isEmpty()) {
      throw r.error(
          "args", "[] (expected: at least one comparison; unconditional calls go in allow)");
    }
    return new Rule(names, args, r.optionalString("comment", ""));
  }
}
