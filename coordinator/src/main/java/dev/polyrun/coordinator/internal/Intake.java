package dev.polyrun.coordinator.internal;

import dev.polyrun.coordinator.ServerLimits;
import dev.polyrun.coordinator.Tenant;
import dev.polyrun.proto.v1.SubmitRequest;
import dev.polyrun.proto.v1.Language;
import dev.polyrun.queue.JobQueue;
import dev.polyrun.queue.QueueUnavailableException;
import io.grpc.Context;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The way of a submission into the queue, cheapest refusal first: validation (pure), the
 * idempotency key (a retry gets its job even when the cluster is now busy), admission control,
 * the tenant's quotas, then the job itself. Blocking; thread-safe.
 */
final class Intake {
  private static final Logger log = LoggerFactory.getLogger(Intake.class);
  private final JobQueue queue;
  private final LanguageCache languages;
  private final ServerLimits limits;
  private final RequestValidator validator;
  private final Idempotency idempotency;
  private final AdmissionGate admission;
  private final QuotaGate quotas;
  private final CoordinatorMetrics metrics;

  Intake(JobQueue queue, LanguageCache languages, ServerLimits limits, Idempotency idempotency,
      AdmissionGate admission, QuotaGate quotas, CoordinatorMetrics metrics) {
    this.queue = queue;
    this.languages = languages;
    this.limits = limits;
    this.validator = new RequestValidator(limits);
    this.idempotency = idempotency;
    this.admission = admission;
    this.quotas = quotas;
    this.metrics = metrics;
  }

  /**
   * Accepts the request for {@code tenant} and returns its job's id (an earlier one's for a retry
   * with the same idempotency key).
   *
   * @param call the call's context: nothing is submitted once its deadline passed or it was cancelled
   */
  String accept(SubmitRequest request, Tenant tenant, Context call) throws InterruptedException {
    String language = request.getLanguage();
    try {
      List<Language> known = languages.get();
      if (known.isEmpty()) {
        throw Statuses.unavailable(Reason.NO_WORKERS, "no worker has advertised a language yet; start a worker");
      }
      SubmitRequest resolved = validator.validate(request, known, tenant.maxima(limits.stage()));
      String owner = tenant.recordedName();
      boolean keyed = !request.getIdempotencyKey().isEmpty();
      if (keyed) {
        Optional<String> earlier = idempotency.claim(owner, request);
        if (earlier.isPresent()) {
          metrics.submitted(language, "duplicate");
          return earlier.get();
        }
      }
      String jobId;
      try {
        jobId = submit(resolved, tenant, call);
      } catch (RuntimeException e) {
        if (keyed) {
          idempotency.release(owner, request);
        }
        throw e;
      }
      if (keyed) {
        bind(owner, request, jobId);
      }
      metrics.submitted(language, "accepted");
      return jobId;
    } catch (RuntimeException e) {
      metrics.submitted(language, Statuses.toStatus(e).getStatus().getCode().name().toLowerCase(Locale.ROOT));
      throw e;
    } catch (InterruptedException e) {
      metrics.submitted(language, "cancelled");
      throw e;
    }
  }

  private void bind(String owner, SubmitRequest request, String jobId) {
    try {
      if (!idempotency.bind(owner, request, jobId)) {
        log.warn("the idempotency key of job {} had lapsed before it was bound", jobId);
      }
    } catch (QueueUnavailableException e) {
      // The job is stored and its id goes back to the caller; only a retry could duplicate it.
      log.warn("job {} was submitted but its idempotency key could not be bound", jobId, e);
    }
  }

  private String submit(SubmitRequest resolved, Tenant tenant, Context call) {
    admission.check();
    Optional<String> reservation = quotas.admit(tenant);
    String jobId;
    try {
      if (call.isCancelled()) {
        throw Statuses.callEnded(call);
      }
      jobId = queue.submit(resolved, tenant.recordedName());
    } catch (RuntimeException e) {
      quotas.release(tenant, reservation);
      throw e;
    }
    try {
      quotas.activate(tenant, reservation, jobId);
    } catch (QueueUnavailableException e) {
      // The job is stored; its reservation lapses in a minute, after which the job goes uncounted.
      log.warn("job {} was submitted but not counted among tenant {}'s active jobs", jobId, tenant.name(), e);
    }
    return jobId;
  }
}
