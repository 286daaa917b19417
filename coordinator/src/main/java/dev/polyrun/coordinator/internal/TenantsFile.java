package dev.polyrun.coordinator.internal;

import dev.polyrun.config.StageLimit;
import dev.polyrun.config.StageLimits;
import dev.polyrun.coordinator.Tenant;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Parses the JSON tenants file. Unknown fields are refused, so a misspelt quota is an error at
 * start rather than a quota silently not applied.
 */
public final class TenantsFile {
  /** Defaults of a tenant's quotas when the file leaves them out. */
  static final int DEFAULT_MAX_ACTIVE_JOBS = 100;

  static final double DEFAULT_SUBMISSIONS_PER_SECOND = 10;
  private static final Set<String> TENANT_FIELDS =
      Set.of(
          "name",
          "api-key-sha256",
          "max-active-jobs",
          "submissions-per-second",
          "burst",
          "max-limits");
  private static final Set<String> LIMIT_FIELDS =
      Arrays.stream(StageLimit.values())
          .map(StageLimit::key)
          .collect(Collectors.toUnmodifiableSet());

  private TenantsFile() {}

  /** The tenants of {@code file}; errors name the file and the field. */
  public static List<Tenant> parse(Path file) throws IOException {
    String text = Files.readString(file);
    try {
      return parse(text);
    } catch (IllegalArgumentException | ClassCastException | DecodeException e) {
      throw new IllegalArgumentException("tenants file " + file + ": " + e.getMessage(), e);
    }
  }

  static List<Tenant> parse(String text) {
    JsonObject root = new JsonObject(text);
    only(root, Set.of("tenants"), "the top level");
    JsonArray list = root.getJsonArray("tenants");
    if (list == null) {
      throw new IllegalArgumentException("no \"tenants\" list (expected: {\"tenants\": [...]})");
    }
    List<Tenant> tenants = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      tenants.add(tenant(list.getJsonObject(i), "tenants[" + i + "]"));
    }
    return tenants;
  }

  private static Tenant tenant(JsonObject t, String where) {
    only(t, TENANT_FIELDS, where);
    String name = t.getString("name");
    if (name == null) {
      throw new IllegalArgumentException(where + ": no \"name\"");
    }
    Set<String> digests = new HashSet<>();
    JsonArray keys = t.getJsonArray("api-key-sha256", new JsonArray());
    for (int i = 0; i < keys.size(); i++) {
      digests.add(keys.getString(i));
    }
    if (digests.isEmpty()) {
      throw new IllegalArgumentException(
          "tenant "
              + name
              + ": no \"api-key-sha256\" (expected: a list of"
              + " SHA-256 digests of its keys, e.g. from 'printf %s KEY | sha256sum')");
    }
    int maxActive = t.getInteger("max-active-jobs", DEFAULT_MAX_ACTIVE_JOBS);
    double rate = t.getDouble("submissions-per-second", DEFAULT_SUBMISSIONS_PER_SECOND);
    int burst = t.getInteger("burst", (int) Math.max(1, Math.ceil(rate)));
    JsonObject limits = t.getJsonObject("max-limits");
    Optional<StageLimits> maxima =
        limits == null ? Optional.empty() : Optional.of(maxima(limits, name));
    return new Tenant(name, digests, maxActive, rate, burst, maxima);
  }

  private static StageLimits maxima(JsonObject l, String tenant) {
    only(l, LIMIT_FIELDS, "tenant " + tenant + " max-limits");
    // A field left out is unset: the server's maximum stays in force (the tenant's only lower it).
    String prefix = "tenant " + tenant + " max-limits.";
    return StageLimits.of(
        limit -> {
          Object v = l.getValue(limit.key());
          return v == null ? 0 : limit.parse(prefix + limit.key(), v.toString());
        });
  }

  private static void only(JsonObject o, Set<String> allowed, String where) {
    for (String field : o.fieldNames()) {
      if (!allowed.contains(field)) {
        throw new IllegalArgumentException(
            where
                + ": unknown field \""
                + field
                + "\" (expected: one of "
                + new java.util.TreeSet<>(allowed)
                + ")");
      }
    }
  }
}
