package dev.polyrun.loadtest.probe;

import dev.polyrun.loadtest.Program;
import dev.polyrun.loadtest.internal.Caller;
import dev.polyrun.loadtest.internal.Outcome;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The synthetic probe: runs each canary program through the public API, checks its exact output and
 * verdict, and records the outcome and latency per canary. A canary that fails (wrong output or
 * verdict, refused, unreachable, too slow) counts as a failure, never as an error of the probe.
 *
 * <p>Each run is a span {@code polyrun.probe.canary}, current while the call is made: a client
 * instrumented with the telemetry module's {@code GrpcTelemetry.client} sends its {@code
 * traceparent}, so that one canary run is one trace with the cluster's spans of its job.
 */
public final class Probe {
  /** The outcome of a canary run that gave exactly what the canary must give. */
  public static final String OK = "ok";

  /** The service answered, but with another verdict, output or number of passed test cases. */
  public static final String WRONG_OUTPUT = "wrong_output";

  /** No result within the probe's {@code --timeout} (the call's deadline passed). */
  public static final String TIMEOUT = "timeout";

  /** The call failed: refused, unreachable, or broken on the way. */
  public static final String ERROR = "error";

  /**
   * One canary's run.
   *
   * @param canary the canary's name, e.g. {@code python-hello}
   * @param language the canary's language
   * @param outcome {@link #OK}, {@link #WRONG_OUTPUT}, {@link #TIMEOUT} or {@link #ERROR}
   * @param reason why it failed, empty when ok: {@code verdict}, {@code output} or {@code
   *     test_cases} for a wrong output; the gRPC status code in lower case for a timeout or an
   *     error ({@code deadline_exceeded}, {@code unavailable}, {@code resource_exhausted}, ...), or
   *     {@code client_error}
   * @param latencyMs from sending the canary to its result or failure, milliseconds
   * @param detail the verdict when ok, else what went wrong, for the log
   * @param jobId the job the service made of it, or null when it accepted none
   */
  public record Run(
      String canary,
      String language,
      String outcome,
      String reason,
      double latencyMs,
      String detail,
      String jobId) {
    public Run {
      Objects.requireNonNull(canary, "canary");
      Objects.requireNonNull(language, "language");
      if (!List.of(OK, WRONG_OUTPUT, TIMEOUT, ERROR).contains(outcome)) {
        throw new IllegalArgumentException(
            "outcome '" + outcome + "' (expected: ok, wrong_output, timeout or error)");
      }
      if (outcome.equals(OK) != reason.isEmpty()) {
        throw new IllegalArgumentException(
            "outcome "
                + outcome
                + " with reason '"
                + reason
                + "' (expected: a reason exactly when the outcome is not ok)");
      }
    }

    /** Whether the canary gave what it must give. */
    public boolean ok() {
      return outcome.equals(OK);
    }
  }

  private final List<Program> canaries;
  private final Caller caller;
  private final ProbeMetrics metrics;
  private final Tracer tracer;
  private final PrintStream log;

  /**
   * @param caller calls the cluster with a client whose calls continue the current span
   * @param tracer makes a canary run's span
   * @param log receives one line per run
   */
  public Probe(
      List<Program> canaries, Caller caller, ProbeMetrics metrics, Tracer tracer, PrintStream log) {
    if (canaries.isEmpty()) {
      throw new IllegalArgumentException("probe: no canary (expected: at least one)");
    }
    this.canaries = List.copyOf(canaries);
    this.caller = caller;
    this.metrics = metrics;
    this.tracer = tracer;
    this.log = log;
    canaries.forEach(c -> metrics.expect(c.name(), c.language()));
  }

  /** Runs every canary once, one after the other. */
  public List<Run> runOnce() {
    List<Run> runs = new ArrayList<>();
    for (Program canary : canaries) {
      Span span =
          tracer
              .spanBuilder("polyrun.probe.canary")
              .setAttribute("polyrun.probe.canary", canary.name())
              .setAttribute("polyrun.language", canary.language())
              .startSpan();
      Run run;
      try (Scope ignored = span.makeCurrent()) {
        run = run(canary, caller.call(canary, System.nanoTime()));
      }
      end(span, run);
      metrics.record(run);
      log.printf(
          Locale.ROOT,
          "probe: %-22s %s %7.0f ms  %s%s%s%n",
          run.canary(),
          run.ok() ? "ok    " : "FAILED",
          run.latencyMs(),
          run.detail(),
          run.jobId() == null ? "" : "  job " + run.jobId(),
          span.getSpanContext().isValid() ? "  trace " + span.getSpanContext().getTraceId() : "");
      runs.add(run);
    }
    return runs;
  }

  private static void end(Span span, Run run) {
    span.setAttribute("polyrun.probe.outcome", run.outcome());
    if (run.jobId() != null) {
      span.setAttribute("polyrun.job.id", run.jobId());
    }
    if (!run.ok()) {
      span.setAttribute("polyrun.probe.reason", run.reason());
      span.setStatus(StatusCode.ERROR, run.outcome() + " (" + run.reason() + ")");
    }
    span.end();
  }

  /** What a canary's call came to, in the probe's outcomes and reasons. */
  static Run run(Program canary, Outcome o) {
    if (o.ok()) {
      return new Run(
          canary.name(), canary.language(), OK, "", o.latencyMs(), o.verdict(), o.jobId());
    }
    String detail = o.error() + ": " + o.errorDetail();
    String outcome;
    String reason;
    switch (o.error()) {
      case "WRONG_RESULT" -> {
        outcome = WRONG_OUTPUT;
        reason = wrongOutputReason(o.errorDetail());
      }
      case "DEADLINE_EXCEEDED" -> {
        outcome = TIMEOUT;
        reason = "deadline_exceeded";
      }
      default -> {
        outcome = ERROR;
        reason = o.error().toLowerCase(Locale.ROOT);
      }
    }
    return new Run(
        canary.name(), canary.language(), outcome, reason, o.latencyMs(), detail, o.jobId());
  }

  /** {@link Program#check}'s message starts with what differed. */
  private static String wrongOutputReason(String detail) {
    String d = detail == null ? "" : detail;
    if (d.startsWith("verdict ")) {
      return "verdict";
    }
    return d.startsWith("passed ") ? "test_cases" : "output";
  }
}
