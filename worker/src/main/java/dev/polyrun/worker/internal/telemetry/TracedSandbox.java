package dev.polyrun.worker.internal.telemetry;

import dev.polyrun.worker.sandbox.OutputListener;
import dev.polyrun.worker.sandbox.Sandbox;
import dev.polyrun.worker.sandbox.StageResult;
import dev.polyrun.worker.sandbox.StageSpec;
import dev.polyrun.worker.sandbox.WorkDir;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The worker's sandbox seen from the job: a span per stage (compile, run, each test case) under
 * the job's span, with the sandbox's set-up, the program and the clean-up as child spans cut from
 * the stage's figures, and the stage and phase histograms. The sandbox itself knows nothing of it.
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
  public WorkDir createWorkDir(String jobId, long sizeBytes, long inodes) throws IOException {
    return sandbox.createWorkDir(jobId, sizeBytes, inodes);
  }

  @Override
  public StageResult run(StageSpec spec, OutputListener output) throws InterruptedException {
    String name = stageName(spec.name());
    String stage = name.startsWith("case-") ? "test_case" : name;
    String language = JobContext.language();
    long started = EpochNanos.now();
    Span span = tracer.spanBuilder("polyrun.stage " + stage).setParent(Context.current())
        .setStartTimestamp(started, TimeUnit.NANOSECONDS)
        .setAttribute("polyrun.stage", stage).setAttribute("polyrun.stage.name", name)
        .setAttribute("polyrun.language", language).startSpan();
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
    instruments.stage(language, stage, result);
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

  /** The sandbox phases as child spans: set-up, then the program, then clean-up up to the end. */
  private void phases(Span stage, StageResult r, long started, long ended) {
    long setupEnd = started + r.setupTime().toNanos();
    long programEnd = Math.min(ended, setupEnd + r.wallTime().toNanos());
    child(stage, "polyrun.sandbox.set_up", started, setupEnd);
    child(stage, "polyrun.program", setupEnd, programEnd);
    child(stage, "polyrun.sandbox.clean_up", Math.max(programEnd, ended - r.cleanupTime().toNanos()), ended);
  }

  private void child(Span parent, String name, long start, long end) {
    tracer.spanBuilder(name).setParent(Context.current().with(parent)).setStartTimestamp(start, TimeUnit.NANOSECONDS)
        .startSpan().end(Math.max(start, end), TimeUnit.NANOSECONDS);
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
