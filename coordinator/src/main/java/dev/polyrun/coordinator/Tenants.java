package dev.polyrun.coordinator;

import dev.polyrun.coordinator.internal.TenantsFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The tenants a coordinator accepts, looked up by the SHA-256 digest of an API key. Immutable and
 * thread-safe.
 *
 * <p>{@link #load(Path)} reads the JSON tenants file documented in the coordinator's README:
 *
 * <pre>{@code
 * {"tenants": [{"name": "acme", "api-key-sha256": ["<64 hex digits>"],
 *               "max-active-jobs": 50, "submissions-per-second": 20, "burst": 40,
 *               "max-limits": {"cpu-time": "10s", "wall-time": "20s", "memory": "512m",
 *                              "processes": 64, "output": "8m", "file-size": "64m"}}]}
 * }</pre>
 */
public final class Tenants {
  private final List<Tenant> tenants;
  private final Map<String, Tenant> byDigest;

  private Tenants(List<Tenant> tenants, Map<String, Tenant> byDigest) {
    this.tenants = tenants;
    this.byDigest = byDigest;
  }

  /**
   * The given tenants.
   *
   * @throws IllegalArgumentException when two tenants share a name or an API key digest
   */
  public static Tenants of(Collection<Tenant> tenants) {
    Map<String, Tenant> byDigest = new HashMap<>();
    Map<String, Tenant> byName = new HashMap<>();
    for (Tenant tenant : tenants) {
      if (byName.putIfAbsent(tenant.name(), tenant) != null) {
        throw new IllegalArgumentException(
            "tenant '" + tenant.name() + "' is listed twice (expected: unique names)");
      }
      for (String digest : tenant.apiKeySha256()) {
        Tenant other = byDigest.putIfAbsent(digest, tenant);
        if (other != null) {
          throw new IllegalArgumentException(
              "tenants '"
                  + other.name()
                  + "' and '"
                  + tenant.name()
                  + "' share an API key digest (expected: one tenant per key)");
        }
      }
    }
    return new Tenants(List.copyOf(tenants), Map.copyOf(byDigest));
  }

  /**
   * Reads a tenants file.
   *
   * @throws IOException when the file cannot be read
   * @throws IllegalArgumentException naming the file, the tenant and the bad field
   */
  public static Tenants load(Path file) throws IOException {
    return of(TenantsFile.parse(file));
  }

  /** The tenant an API key belongs to, if any. */
  public Optional<Tenant> forApiKey(String apiKey) {
    return Optional.ofNullable(byDigest.get(sha256Hex(apiKey)));
  }

  /** Every tenant, in the order given. */
  public List<Tenant> all() {
    return tenants;
  }

  /** The lower-case hex SHA-256 of {@code apiKey}'s UTF-8 bytes, as stored in a tenants file. */
  public static String sha256Hex(String apiKey) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(apiKey.getBytes(StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
