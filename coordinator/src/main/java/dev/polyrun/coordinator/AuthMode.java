package dev.polyrun.coordinator;

/** How the coordinator tells its callers apart ({@code coordinator.auth}). */
public enum AuthMode {
  /**
   * The default: every call carries {@code authorization: Bearer <API key>}; the key names the
   * tenant. A missing or unknown key is UNAUTHENTICATED.
   */
  KEYS,
  /**
   * No keys: every caller is one anonymous tenant without quotas that sees every job. For local use
   * only, and only when configured explicitly.
   */
  NONE
}
