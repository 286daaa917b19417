package dev.polyrun.sandbox;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * A change to the {@link SandboxPolicy}: a JSON merge patch (RFC 7386) over the policy document. A
 * language's override (the {@code "sandbox"} object of its {@code language.json}) may change only
 * resource sizes: {@code rlimits}, the {@code tmp}, {@code devShm} and {@code devPts} sizes and
 * {@code cgroup.cpuMillicores}. The operator's override (the worker's {@code worker.sandbox-policy}
 * file) may change anything, and is applied last. Immutable; validated when made, against the
 * defaults.
 */
public final class PolicyOverride {
  private static final PolicyOverride NONE =
      new PolicyOverride(new JsonObject(), "no override", Scope.OPERATOR);

  /** What a language may change: top-level key to the keys below it (empty: all of them). */
  private static final Map<String, Set<String>> LANGUAGE_KEYS =
      Map.of(
          "rlimits",
          Set.of(),
          "filesystem",
          Set.of("tmp", "devShm", "devPts"),
          "cgroup",
          Set.of("cpuMillicores"));

  private final JsonObject patch;
  private final String origin;
  private final Scope scope;

  /** Who declares an override, which bounds what it may change. */
  public enum Scope {
    /** A language's definition: resource sizes only. */
    LANGUAGE,
    /** The worker's operator: anything. */
    OPERATOR
  }

  private PolicyOverride(JsonObject patch, String origin, Scope scope) {
    this.patch = patch;
    this.origin = origin;
    this.scope = scope;
  }

  /** The override that changes nothing. */
  public static PolicyOverride none() {
    return NONE;
  }

  /**
   * Parses and validates an override.
   *
   * @param json a JSON object, the merge patch
   * @param origin where it comes from, for error messages (e.g. the file)
   * @throws IllegalArgumentException when it is not JSON, changes what its scope may not, or makes
   *     the default policy invalid; the message names the origin and the key
   */
  public static PolicyOverride parse(String json, String origin, Scope scope) {
    JsonElement root;
    try {
      root = JsonParser.parseString(json);
    } catch (JsonParseException e) {
      throw new IllegalArgumentException(origin + ": not JSON: " + e.getMessage(), e);
    }
    if (!root.isJsonObject()) {
      throw new IllegalArgumentException(origin + ": " + root + " (expected: a JSON object)");
    }
    return of(root.getAsJsonObject(), origin, scope);
  }

  /** An override from a JSON object already parsed (e.g. a member of language.json). */
  public static PolicyOverride of(JsonObject patch, String origin, Scope scope) {
    JsonObject copy = patch.deepCopy();
    copy.remove("comment");
    if (scope == Scope.LANGUAGE) {
      checkLanguageKeys(copy, origin);
    }
    PolicyOverride override = new PolicyOverride(copy, origin, scope);
    SandboxPolicy.defaults().with(override);
    return override;
  }

  /** Reads an override file. */
  public static PolicyOverride load(Path file, Scope scope) throws IOException {
    return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString(), scope);
  }

  private static void checkLanguageKeys(JsonObject patch, String origin) {
    for (String key : patch.keySet()) {
      Set<String> below = LANGUAGE_KEYS.get(key);
      if (below == null) {
        throw new IllegalArgumentException(
            origin
                + ": "
                + key
                + ": a language may not change it (expected: rlimits, filesystem.tmp, filesystem.devShm,"
                + " filesystem.devPts or cgroup.cpuMillicores; the operator's policy may change anything)");
      }
      JsonElement value = patch.get(key);
      if (!below.isEmpty() && value.isJsonObject()) {
        for (String sub : value.getAsJsonObject().keySet()) {
          if (!below.contains(sub)) {
            throw new IllegalArgumentException(
                origin
                    + ": "
                    + key
                    + "."
                    + sub
                    + ": a language may not change it (expected: one of "
                    + key
                    + "."
                    + below
                    + ")");
          }
        }
      }
    }
  }

  JsonObject patch() {
    return patch.deepCopy();
  }

  /** Where the override comes from. */
  public String origin() {
    return origin;
  }

  public Scope scope() {
    return scope;
  }

  /** Whether it changes nothing. */
  public boolean isEmpty() {
    return patch.isEmpty();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PolicyOverride p && p.patch.equals(patch) && p.scope == scope;
  }

  @Override
  public int hashCode() {
    return patch.hashCode() * 31 + scope.hashCode();
  }

  @Override
  public String toString() {
    return origin + ": " + patch;
  }
}
