package dev.polyrun.coordinator.internal;

import dev.polyrun.coordinator.Tenant;
import dev.polyrun.queue.TenantQuotas;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Corrects the tenants' counts of active jobs now and then: jobs are uncounted when they end, and
 * this uncounts those whose end went unreported (a record that expired, a worker that died between
 * storing its result and reporting it). Runs off the submit path; one round at a time.
 */
public final class QuotaReconciler implements Runnable {
  /** How often the counts are reconciled. */
  public static final Duration PERIOD = Duration.ofSeconds(10);

  private static final Logger log = LoggerFactory.getLogger(QuotaReconciler.class);
  private final TenantQuotas quotas;
  private final List<Tenant> tenants;
  private final AtomicBoolean running = new AtomicBoolean();

  public QuotaReconciler(TenantQuotas quotas, List<Tenant> tenants) {
    this.quotas = quotas;
    this.tenants = List.copyOf(tenants);
  }

  @Override
  public void run() {
    if (!running.compareAndSet(false, true)) {
      return;
    }
    try {
      for (Tenant tenant : tenants) {
        quotas.reconcileActiveJobs(tenant.name());
      }
    } catch (RuntimeException e) {
      log.debug("tenant quotas not reconciled this round: {}", e.getMessage());
    } finally {
      running.set(false);
    }
  }
}
