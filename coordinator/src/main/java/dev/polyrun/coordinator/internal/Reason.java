package dev.polyrun.coordinator.internal;

import io.grpc.Status;

/**
 * Why a call was refused: the stable {@code google.rpc.ErrorInfo} reason of every refusal (domain
 * {@link #DOMAIN}), each with the one status code it travels with. The contract's header comment
 * (executor.proto) lists them for clients; the names are part of the contract and never change.
 */
enum Reason {
  /** A request that breaks several rules, or one without a reason of its own. */
  INVALID_REQUEST(Status.Code.INVALID_ARGUMENT),
  /** The language is not one the cluster's workers advertise. */
  UNKNOWN_LANGUAGE(Status.Code.INVALID_ARGUMENT),
  /** The version selector is not one of the language's. */
  UNKNOWN_VERSION(Status.Code.INVALID_ARGUMENT),
  /** A stage limit above the server's (or the tenant's) maximum, without clamp_limits. */
  LIMIT_ABOVE_MAXIMUM(Status.Code.INVALID_ARGUMENT),
  /** No authorization metadata, or not a bearer token. */
  API_KEY_MISSING(Status.Code.UNAUTHENTICATED),
  /** A bearer key that no tenant has. */
  API_KEY_INVALID(Status.Code.UNAUTHENTICATED),
  /** An unknown job, another tenant's, or one past its retention. */
  JOB_NOT_FOUND(Status.Code.NOT_FOUND),
  /** The idempotency key was used for a different request. */
  IDEMPOTENCY_KEY_REUSED(Status.Code.ALREADY_EXISTS),
  /** The same request with the key is still being submitted by another call. */
  IDEMPOTENCY_KEY_PENDING(Status.Code.ABORTED),
  /** The tenant is over its submission rate or its active jobs. */
  QUOTA_EXCEEDED(Status.Code.RESOURCE_EXHAUSTED),
  /** Admission control: too many jobs wait, or the oldest has waited too long. */
  QUEUE_FULL(Status.Code.RESOURCE_EXHAUSTED),
  /** The coordinator itself is at its capacity. */
  SERVER_BUSY(Status.Code.RESOURCE_EXHAUSTED),
  /** A request message larger than the server accepts. */
  MESSAGE_TOO_LARGE(Status.Code.RESOURCE_EXHAUSTED),
  /** The language is known but no live worker runs it. */
  LANGUAGE_NOT_SERVED(Status.Code.FAILED_PRECONDITION),
  /** Redis could not be reached. */
  JOB_STORE_UNAVAILABLE(Status.Code.UNAVAILABLE),
  /** No worker has advertised a language. */
  NO_WORKERS(Status.Code.UNAVAILABLE),
  /** The coordinator is draining before it stops. */
  SHUTTING_DOWN(Status.Code.UNAVAILABLE),
  /** A method or service this server does not serve. */
  UNKNOWN_METHOD(Status.Code.UNIMPLEMENTED),
  /** A defect of polyrun (logged), or stored data it cannot read. */
  INTERNAL(Status.Code.INTERNAL);

  /** The ErrorInfo domain of every polyrun refusal. */
  static final String DOMAIN = "polyrun.dev";

  private final Status.Code code;

  Reason(Status.Code code) {
    this.code = code;
  }

  /** The status code this reason is sent with. */
  Status.Code code() {
    return code;
  }
}
