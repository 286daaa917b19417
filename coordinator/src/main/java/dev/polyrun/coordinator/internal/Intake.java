package dev.polyrun.coordinator.internal;

import dev.polyrun.coordinator.ServerLimits;
import dev.polyrun.coordinator.Tenant;
import dev.polyrun.proto.v1.Language;
import dev.polyrun.proto.v1.LanguageVersion;
import dev.polyrun.proto.v1.SubmitRequest;
import dev.polyrun.queue.JobQueue;
import dev.polyrun.queue.QueueNames;
import dev.polyrun.queue.Submission;
import dev.polyrun.queue.SubmitOutcome;
import io.grpc.Context;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The way of a submission into the queue: validation (pure, in process), then one round trip to
 * Redis, a script that in one atomic step looks the idempotency key up (a retry gets its job even
 * when the cluster is now busy), applies admission control's verdict (read from Redis at most every
 * 250 ms, off the submission's path), checks and counts the tenant's quotas, stores the job,
 * enqueues it and binds its key. A refusal costs the same round trip as an acceptance, no more.
 * Blocking; thread-safe.
 */
final class Intake {
  /** How long a retry waits for a key held by an older coordinator's unfinished submission. */
  private static final Duration WAIT_FOR_PENDING = Duration.ofSeconds(5);

  private static final long PENDING_POLL_MILLIS = 25;
  private final JobQueue queue;
  private final LanguageCache languages;
  private final ServerLimits limits;
  private final RequestValidator validator;
  private final Idempotency idempotency;
  private final AdmissionGate admission;
  private final QuotaGate quotas;
  private final CoordinatorMetrics metrics;

  /** Whether a known language no live worker runs is queued rather than refused. */
  private final boolean queueUnserved;

  Intake(
      JobQueue queue,
      LanguageCache languages,
      ServerLimits limits,
      Idempotency idempotency,
      AdmissionGate admission,
      QuotaGate quotas,
      CoordinatorMetrics metrics,
      boolean queueUnserved) {
    this.queue = queue;
    this.queueUnserved = queueUnserved;
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
   * @param call the call's context: nothing is submitted once its deadline passed or it was
   *     cancelled
   */
  String accept(SubmitRequest request, Tenant tenant, Context call) throws InterruptedException {
    String language = request.getLanguage();
    try {
      List<Language> known = languages.get();
      if (known.isEmpty()) {
        throw Statuses.unavailable(
            Reason.NO_WORKERS, "no worker has advertised a language yet; start a worker");
      }
      SubmitRequest resolved = validator.validate(request, known, tenant.maxima(limits.stage()));
      // the job waits in its version's queue (the resolved default's for an empty selector), so
      // that
      // only a worker that has that version takes it
      LanguageVersion version = LanguageVersions.of(known, resolved);
      String queueVersion = version.getName();
      if (!queueUnserved
          && !languages.served(QueueNames.of(resolved.getLanguage(), queueVersion))) {
        throw Statuses.languageNotServed(resolved.getLanguage(), resolved.getVersion());
      }
      Optional<StatusRuntimeException> overloaded = admission.refusal();
      Submission submission =
          new Submission(
                  resolved,
                  tenant.recordedName(),
                  idempotency.keyOf(request),
                  quotas.of(tenant),
                  overloaded.isEmpty())
              .withVersion(queueVersion);
      if (call.isCancelled()) {
        throw Statuses.callEnded(call);
      }
      return switch (submit(submission)) {
        case SubmitOutcome.Accepted a -> counted(language, "accepted", a.jobId());
        case SubmitOutcome.Duplicate d -> counted(language, "duplicate", d.jobId());
        case SubmitOutcome.KeyReused r -> throw idempotency.reused(request, r.jobId());
        case SubmitOutcome.KeyPending p -> throw idempotency.pending(request);
        case SubmitOutcome.OverRate r -> throw quotas.overRate(tenant, r.retryAfter());
        case SubmitOutcome.OverActive a -> throw quotas.overActive(tenant);
        case SubmitOutcome.Overloaded o -> throw overloaded.orElseThrow();
      };
    } catch (RuntimeException e) {
      metrics.submitted(
          language, Statuses.toStatus(e).getStatus().getCode().name().toLowerCase(Locale.ROOT));
      throw e;
    } catch (InterruptedException e) {
      metrics.submitted(language, "cancelled");
      throw e;
    }
  }

  private String counted(String language, String result, String jobId) {
    metrics.submitted(language, result);
    return jobId;
  }

  /**
   * Runs the submit script; a key held by an older coordinator's unfinished submission is waited
   * for (it is bound or lapses within seconds).
   */
  private SubmitOutcome submit(Submission submission) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT_FOR_PENDING.toNanos();
    while (true) {
      SubmitOutcome outcome = queue.submit(submission);
      if (!(outcome instanceof SubmitOutcome.KeyPending) || System.nanoTime() > deadline) {
        return outcome;
      }
      Thread.sleep(PENDING_POLL_MILLIS);
    }
  }
}
