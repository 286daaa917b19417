package dev.polyrun.queue;

/**
 * The machine-readable reasons of a {@code VERDICT_INTERNAL_ERROR} result ({@code
 * Result.error_reason}), as the contract lists them. The sandbox's and the worker's failures are
 * never the program's: a client may retry the job.
 */
public final class ErrorReasons {
  /** The sandbox could not run a stage. */
  public static final String SANDBOX_FAILURE = "SANDBOX_FAILURE";

  /** The worker has no image for the job's language. */
  public static final String LANGUAGE_UNAVAILABLE = "LANGUAGE_UNAVAILABLE";

  /** The job was delivered too often: the workers that took it kept dying. */
  public static final String DELIVERY_LIMIT = "DELIVERY_LIMIT";

  /** The stored job could not be read. */
  public static final String INVALID_JOB = "INVALID_JOB";

  private ErrorReasons() {}
}
