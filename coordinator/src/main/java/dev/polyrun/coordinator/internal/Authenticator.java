package dev.polyrun.coordinator.internal;

import dev.polyrun.coordinator.AuthMode;
import dev.polyrun.coordinator.Tenant;
import dev.polyrun.coordinator.Tenants;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Tells which tenant a call's {@code authorization} header belongs to. Pure and thread-safe. */
final class Authenticator {
  private static final String BEARER = "bearer ";

  /** Valid keys remembered, so that a call digests its key only the first time it is seen. */
  private static final int RECENT_KEYS = 1024;

  private final AuthMode mode;
  private final Tenants tenants;
  private final Map<String, Tenant> recent = new ConcurrentHashMap<>();

  Authenticator(AuthMode mode, Tenants tenants) {
    this.mode = mode;
    this.tenants = tenants;
  }

  /**
   * The caller's tenant: the anonymous one without keys, else the owner of the bearer key.
   *
   * @param authorization the raw header, or null when absent
   * @throws io.grpc.StatusRuntimeException UNAUTHENTICATED when the key is missing or unknown
   */
  Tenant authenticate(String authorization) {
    if (mode == AuthMode.NONE) {
      return Tenant.anonymous();
    }
    if (authorization == null || authorization.isBlank()) {
      throw Statuses.unauthenticated(
          Reason.API_KEY_MISSING,
          "missing API key (expected: metadata 'authorization: Bearer <API key>')");
    }
    String header = authorization.strip();
    if (!header.toLowerCase(Locale.ROOT).startsWith(BEARER)) {
      throw Statuses.unauthenticated(
          Reason.API_KEY_MISSING,
          "the authorization metadata is not a bearer token (expected: 'Bearer <API key>')");
    }
    String key = header.substring(BEARER.length()).strip();
    Tenant known = recent.get(key);
    if (known != null) {
      return known;
    }
    Tenant tenant =
        tenants
            .forApiKey(key)
            .orElseThrow(
                () ->
                    Statuses.unauthenticated(
                        Reason.API_KEY_INVALID,
                        "unknown API key (expected: a key configured for a tenant of this cluster)"));
    if (recent.size() >= RECENT_KEYS) {
      recent.clear(); // bounded: keys in use come back at once
    }
    recent.put(key, tenant);
    return tenant;
  }
}
