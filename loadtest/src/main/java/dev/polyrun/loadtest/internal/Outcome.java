package dev.polyrun.loadtest.internal;

import java.util.EnumMap;
import java.util.Map;

/**
 * What happened to one request: when it was meant to be sent, sent and answered ({@link
 * System#nanoTime()}), the job it became, its verdict, and what went wrong if anything.
 *
 * @param program the program's name
 * @param intendedNanos when the load generator meant to send it; an open loop that falls behind
 *     still measures latency from here, so a stalled service is not hidden (coordinated omission)
 * @param sentNanos when the call started
 * @param endNanos when the result (or the failure) arrived
 * @param jobId the job's id once the service accepted it, else null
 * @param verdict the result's verdict name, or null without a result
 * @param error null when the run gave what the program must give; else a gRPC status code name
 *     (e.g. {@code UNAVAILABLE}), {@code WRONG_RESULT} or {@code CLIENT_ERROR}
 * @param errorDetail the reason, for reports; null without an error
 * @param attempt the delivery attempt that produced the result (0 when unknown)
 * @param workerCpuMs the result's {@code worker_cpu_ms}, or -1 when the service did not report it
 * @param phasesMs the moments seen, in milliseconds after {@code sentNanos}
 */
public record Outcome(
    String program,
    long intendedNanos,
    long sentNanos,
    long endNanos,
    String jobId,
    String verdict,
    String error,
    String errorDetail,
    int attempt,
    long workerCpuMs,
    Map<Phase, Double> phasesMs) {

  public Outcome {
    phasesMs = phasesMs.isEmpty() ? Map.of() : new EnumMap<>(phasesMs);
  }

  /** Whether the run gave what its program must give. */
  public boolean ok() {
    return error == null;
  }

  /** Whether the service accepted the job (it has an id), whatever happened afterwards. */
  public boolean accepted() {
    return jobId != null;
  }

  /** Latency from the intended send time, milliseconds. */
  public double latencyMs() {
    return (endNanos - intendedNanos) / 1e6;
  }

  /** Time the call itself took, milliseconds. */
  public double serviceMs() {
    return (endNanos - sentNanos) / 1e6;
  }
}
