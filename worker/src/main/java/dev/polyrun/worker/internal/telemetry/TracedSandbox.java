package dev.polyrun.worker.internal.telemetry;

import dev.polyrun.sandbox.OutputListener;
import dev.polyrun.sandbox.Sandbox;
import dev.polyrun.sandbox.StageResult;
import dev.polyrun.sandbox.StageSpec;
import dev.polyrun.sandbox.WorkDir;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The worker's sandbox seen from the job: a span per stage (compile, run, each test case) under the
 * job's span, with the sandbox's set-up, the program and the clean-up as child spans cut from the
 * stage's figures, and the stage and phase histograms. The sandbox itself knows nothing of it.
 */
final class TracedSandbox implements Sandbox {
  /** Stage names are {@code <job id>-a<attempt>-<stage>} (see JobRunner). */
  private static final Pattern STAGE = Pattern.compile(".*-a\\d+-(.+)$");

  private final Sandbox sandbox;
  private final Tracer tracer;
  private final WorkerInstruments instruments;

  TracedSandbox(Sandbox sandbox, Tracer tracer, WorkerInstruments instruments) {
    this.sandbox = sandbox;
    this.tracer = tracer;
    this.instruments = instruments;
  }

  @Override
  public dev.polyrun.sandbox.RuntimeFacts facts() {
    return sandbox.facts();
  }

  @Override
  public dev.polyrun.sandbox.SandboxPolicy policy() {
    return sandbox.policy();
  }

  @Override
  public WorkDir createWorkDir(String jobId, long sizeBytes, long inodes) throws IOException {
    return sandbox.createWorkDir(jobId, sizeBytes, inodes);
  }

  @Override
  public StageResult run(StageSpec spec, OutputListener output) throws InterruptedException {
    String name = stageName(spec.name());
    String stage = name.startsWith("case-") ? "test_case" : name;
    String language = JobContext.language();
    long started = EpochNanos.now();
    Span span =
        tracer
            .spanBuilder("polyrun.stage " + stage)
            .setParent(Context.current())
            .setStartTimestamp(started, TimeUnit.NANOSECONDS)
            .setAttribute("polyrun.stage", stage)
            .setAttribute("polyrun.stage.name", name)
            .setAttribute("polyrun.language", language)
            .startSpan();
    StageResult result;
    try {
      result = sandbox.run(spec, output);
    } catch (InterruptedException | RuntimeException e) {
      span.recordException(e);
      span.setStatus(StatusCode.ERROR, "stopped: " + e);
      span.end();
      throw e;
    }
    long ended = EpochNanos.now();
    phases(span, result, started, ended);
    instruments.stage(language, stage, result, startPhase(result, started));
    span.setAttribute("polyrun.verdict", WorkerInstruments.stageVerdict(result))
        .setAttribute("polyrun.exit_code", result.exitCode())
        .setAttribute("polyrun.cpu_time_ms", result.cpuTime().toMillis())
        .setAttribute("polyrun.wall_time_ms", result.wallTime().toMillis())
        .setAttribute("polyrun.peak_memory_bytes", result.peakMemoryBytes());
    if (result.termination() == StageResult.Termination.SANDBOX_FAILURE) {
      span.setStatus(StatusCode.ERROR, result.detail());
    }
    span.end(ended, TimeUnit.NANOSECONDS);
    return result;
  }

  /**
   * The sandbox phases as child spans: set-up, the runtime's start of the container (when the
   * sandbox measured when it released the program), the program, then clean-up up to the end.
   */
  private void phases(Span stage, StageResult r, long started, long ended) {
    long setupEnd = started + r.setupTime().toNanos();
    long programStart =
        r.startedAt() == null ? setupEnd : Math.max(setupEnd, epochNanos(r.startedAt()));
    long programEnd =
        r.exitedAt() == null
            ? Math.min(ended, setupEnd + r.wallTime().toNanos())
            : Math.max(programStart, epochNanos(r.exitedAt()));
    child(stage, "polyrun.sandbox.set_up", started, setupEnd);
    if (r.startedAt() != null) {
      child(stage, "polyrun.sandbox.start", setupEnd, programStart);
    }
    child(stage, "polyrun.program", programStart, programEnd);
    child(
        stage,
        "polyrun.sandbox.clean_up",
        Math.max(programEnd, ended - r.cleanupTime().toNanos()),
        ended);
  }

  private static long epochNanos(java.time.Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }

  private void child(Span parent, String name, long start, long end) {
    tracer
        .spanBuilder(name)
        .setParent(Context.current().with(parent))
        .setStartTimestamp(start, TimeUnit.NANOSECONDS)
        .startSpan()
        .end(Math.max(start, end), TimeUnit.NANOSECONDS);
  }

  /**
   * From the runtime's start to the program's release; null when the sandbox did not measure it.
   */
  private static java.time.Duration startPhase(StageResult r, long started) {
    if (r.startedAt() == null) {
      return null;
    }
    long nanos = epochNanos(r.startedAt()) - started - r.setupTime().toNanos();
    return nanos < 0 ? null : java.time.Duration.ofNanos(nanos);
  }

  static String stageName(String containerName) {
    Matcher m = STAGE.matcher(containerName);
    return m.matches() ? m.group(1) : "stage";
  }

  @Override
  public void sweep() {
    sandbox.sweep();
  }

  @Override
  public void close() {
    sandbox.close();
  }
}
