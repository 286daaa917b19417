package dev.polyrun.coordinator.internal;

import dev.polyrun.coordinator.Tenant;
import dev.polyrun.queue.TenantQuotas;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * A tenant's quotas at submission: its submission rate, then its jobs queued or running at once.
 * Both are kept in Redis, so they hold across coordinators. Blocking; thread-safe.
 */
final class QuotaGate {
  private final TenantQuotas quotas;
  private final Duration activeRetryDelay;

  QuotaGate(TenantQuotas quotas, Duration activeRetryDelay) {
    this.quotas = quotas;
    this.activeRetryDelay = activeRetryDelay;
  }

  /**
   * Takes a submission from the tenant's rate and reserves a place among its active jobs.
   *
   * @return the reservation to {@link #activate} or {@link #release}; empty without an active quota
   * @throws io.grpc.StatusRuntimeException RESOURCE_EXHAUSTED with a retry delay when over a quota
   */
  Optional<String> admit(Tenant tenant) {
    if (tenant.submissionsPerSecond() > 0) {
      Duration wait = quotas.takeSubmission(tenant.name(), tenant.submissionsPerSecond(), tenant.burst());
      if (!wait.isZero()) {
        throw Statuses.resourceExhausted(Reason.QUOTA_EXCEEDED, "tenant " + tenant.name() + " is over its submission rate of "
            + String.format(Locale.ROOT, "%.4g", tenant.submissionsPerSecond()) + " per second (burst "
            + tenant.burst() + ")", wait);
      }
    }
    if (tenant.maxActiveJobs() == 0) {
      return Optional.empty();
    }
    Optional<String> reservation = quotas.reserveActive(tenant.name(), tenant.maxActiveJobs());
    if (reservation.isEmpty()) {
      throw Statuses.resourceExhausted(Reason.QUOTA_EXCEEDED, "tenant " + tenant.name() + " has " + tenant.maxActiveJobs()
          + " jobs queued or running, its most at once; retry when one has finished", activeRetryDelay);
    }
    return reservation;
  }

  void activate(Tenant tenant, Optional<String> reservation, String jobId) {
    reservation.ifPresent(r -> quotas.activate(tenant.name(), r, jobId));
  }

  void release(Tenant tenant, Optional<String> reservation) {
    reservation.ifPresent(r -> quotas.release(tenant.name(), r));
  }
}
