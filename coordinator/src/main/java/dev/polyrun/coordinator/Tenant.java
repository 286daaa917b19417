package dev.polyrun.coordinator;

import dev.polyrun.config.StageLimits;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One customer of the cluster: its API keys (stored as SHA-256 digests, never the keys), its quotas
 * and its own maximum limits.
 *
 * @param name 1-64 of {@code [A-Za-z0-9_.-]}; recorded with each of its jobs
 * @param apiKeySha256 lower-case hex SHA-256 digests of the tenant's API keys (several allow
 *     rotation)
 * @param maxActiveJobs jobs queued or running at once; 0 for no quota
 * @param submissionsPerSecond sustained submissions per second; 0 for no quota
 * @param burst submissions allowed at once above the sustained rate (the bucket's size)
 * @param maxLimits the tenant's own stage maxima, lowering the server's where set; empty for the
 *     server's
 */
public record Tenant(
    String name,
    Set<String> apiKeySha256,
    int maxActiveJobs,
    double submissionsPerSecond,
    int burst,
    Optional<StageLimits> maxLimits) {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
  private static final Tenant ANONYMOUS = new Tenant("-", Set.of(), 0, 0, 1, Optional.empty());

  public Tenant {
    Objects.requireNonNull(name, "name");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "tenant name: '" + name + "' (expected: 1-64 of [A-Za-z0-9_.-])");
    }
    apiKeySha256 = Set.copyOf(apiKeySha256);
    for (String digest : apiKeySha256) {
      if (!SHA256.matcher(digest).matches()) {
        throw new IllegalArgumentException(
            "tenant "
                + name
                + ": api key digest '"
                + digest
                + "' (expected: 64 lower-case hex digits, the SHA-256 of the key)");
      }
    }
    if (maxActiveJobs < 0) {
      throw new IllegalArgumentException(
          "tenant " + name + ": max active jobs " + maxActiveJobs + " (expected: >= 0)");
    }
    if (!(submissionsPerSecond >= 0) || Double.isInfinite(submissionsPerSecond)) {
      throw new IllegalArgumentException(
          "tenant "
              + name
              + ": submissions per second "
              + submissionsPerSecond
              + " (expected: >= 0)");
    }
    if (burst < 1) {
      throw new IllegalArgumentException(
          "tenant " + name + ": burst " + burst + " (expected: >= 1)");
    }
    Objects.requireNonNull(maxLimits, "maxLimits");
  }

  /** The caller of a coordinator without API keys ({@code coordinator.auth=none}): no quotas. */
  public static Tenant anonymous() {
    return ANONYMOUS;
  }

  /** Whether this is the anonymous caller of a coordinator without API keys. */
  public boolean isAnonymous() {
    return this == ANONYMOUS;
  }

  /** The tenant recorded with the jobs: its name, or "" for the anonymous caller. */
  public String recordedName() {
    return isAnonymous() ? "" : name;
  }

  /** The maxima that apply to this tenant's jobs on a server with {@code server} maxima. */
  public StageLimits maxima(StageLimits server) {
    return maxLimits.map(server::min).orElse(server);
  }
}
