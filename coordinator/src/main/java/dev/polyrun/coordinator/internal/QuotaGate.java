package dev.polyrun.coordinator.internal;

import dev.polyrun.coordinator.Tenant;
import dev.polyrun.queue.Submission;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.Locale;

/**
 * A tenant's quotas as the submit script checks them (its submission rate, then its jobs queued or
 * running at once, both kept in Redis so they hold across coordinators), and the refusals the
 * caller gets when over one. Pure; thread-safe.
 */
final class QuotaGate {
  private final Duration activeRetryDelay;

  QuotaGate(Duration activeRetryDelay) {
    this.activeRetryDelay = activeRetryDelay;
  }

  /** The tenant's quotas for the submit script. */
  Submission.Quota of(Tenant tenant) {
    double rate = tenant.submissionsPerSecond();
    return new Submission.Quota(tenant.maxActiveJobs(), rate, rate > 0 ? tenant.burst() : 0);
  }

  /** RESOURCE_EXHAUSTED with the exact delay after which the rate allows a submission. */
  StatusRuntimeException overRate(Tenant tenant, Duration wait) {
    return Statuses.resourceExhausted(
        Reason.QUOTA_EXCEEDED,
        "tenant "
            + tenant.name()
            + " is over its submission rate of "
            + String.format(Locale.ROOT, "%.4g", tenant.submissionsPerSecond())
            + " per second (burst "
            + tenant.burst()
            + ")",
        wait);
  }

  /**
   * RESOURCE_EXHAUSTED with the configured delay: the tenant has its most jobs queued or running.
   */
  StatusRuntimeException overActive(Tenant tenant) {
    return Statuses.resourceExhausted(
        Reason.QUOTA_EXCEEDED,
        "tenant "
            + tenant.name()
            + " has "
            + tenant.maxActiveJobs()
            + " jobs queued or running, its most at once; retry when one has finished",
        activeRetryDelay);
  }
}
