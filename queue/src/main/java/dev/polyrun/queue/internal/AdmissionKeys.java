package dev.polyrun.queue.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Names of the admission keys (idempotency keys, tenant quotas) under one prefix. A client's
 * idempotency key is hashed into the name, so any bytes are safe and the name's length is bounded.
 * A tenant's keys carry the tenant's hash tag, so the script that admits a submission (the key, the
 * quotas) runs in one Redis Cluster slot.
 */
public final class AdmissionKeys {
  private final String prefix;

  public AdmissionKeys(String prefix) {
    this.prefix = prefix;
  }

  /**
   * Hash of one idempotency key of one tenant: {@code fp} (request fingerprint) and {@code job}.
   */
  public String idempotency(String tenant, String key) {
    return tenantKey(tenant, "idem") + ":" + sha256Hex(key);
  }

  /** Hash of a tenant's submission token bucket: {@code tokens} and {@code at} (microseconds). */
  public String rate(String tenant) {
    return tenantKey(tenant, "rate");
  }

  /** Sorted set of a tenant's queued or running jobs ({@code job:ID}), scored by submission ms. */
  public String active(String tenant) {
    return tenantKey(tenant, "active");
  }

  /** A tenant's keys share the tenant's hash tag: one Redis Cluster slot per tenant. */
  private String tenantKey(String tenant, String what) {
    return prefix + ":{t:" + tenant + "}:" + what;
  }

  public static String sha256Hex(String text) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
