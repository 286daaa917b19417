package dev.polyrun.worker.internal.telemetry;

import com.google.errorprone.annotations.MustBeClosed;
import dev.polyrun.queue.Delivery;
import dev.polyrun.queue.JobOrigin;
import dev.polyrun.queue.WorkQueue;
import dev.polyrun.sandbox.RuntimeFacts;
import dev.polyrun.sandbox.Sandbox;
import dev.polyrun.telemetry.RedisMetrics;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Tracer;
import java.io.File;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker's traces and metrics: wraps its queue and sandbox so that every take, stage and result
 * is measured, and opens each delivery's {@link JobTrace}. {@link #noop()} records nothing.
 */
public final class WorkerTelemetry {
  private static final Logger log = LoggerFactory.getLogger(WorkerTelemetry.class);
  private static final AttributeKey<String> FILESYSTEM =
      AttributeKey.stringKey("polyrun.filesystem");
  private static final AttributeKey<String> FS_STATE =
      AttributeKey.stringKey("system.filesystem.state");
  private static final AttributeKey<String> MOUNTPOINT =
      AttributeKey.stringKey("system.filesystem.mountpoint");
  private final Tracer tracer;
  private final Meter meter;
  private final WorkerInstruments instruments;
  private final RedisMetrics redis;
  private final String workerId;

  public WorkerTelemetry(OpenTelemetry otel, String workerId) {
    this.tracer = otel.getTracer("polyrun.worker");
    this.meter = otel.getMeter("polyrun.worker");
    this.instruments = new WorkerInstruments(meter);
    this.redis = new RedisMetrics(meter);
    this.workerId = workerId;
  }

  /** Telemetry that records nothing. */
  public static WorkerTelemetry noop() {
    return new WorkerTelemetry(OpenTelemetry.noop(), "");
  }

  /** The queue, measured. */
  public WorkQueue queue(WorkQueue queue) {
    return new TracedWorkQueue(queue, redis, tracer, instruments);
  }

  /** The sandbox, measured and traced stage by stage. */
  public Sandbox sandbox(Sandbox sandbox) {
    return new TracedSandbox(sandbox, tracer, instruments);
  }

  /**
   * Opens the delivery's trace on the calling slot thread, which took it; close it on the same
   * thread when the delivery is done. Never fails: a job whose origin cannot be read starts a new
   * trace.
   */
  @MustBeClosed
  public JobTrace begin(Delivery delivery, WorkQueue queue) {
    JobOrigin origin;
    try {
      origin = queue.origin(delivery.jobId());
    } catch (RuntimeException e) {
      log.debug("cannot read the origin of job {}: {}", delivery.jobId(), e.getMessage());
      origin = JobOrigin.UNKNOWN;
    }
    return JobTrace.begin(delivery, origin, workerId, tracer, instruments);
  }

  /**
   * Reports what the sandbox found on its host at start: {@code polyrun.worker.sandbox.feature} (1
   * or 0 per feature of the policy: whether it took effect) and {@code polyrun.worker.sandbox.info}
   * (1, with the runtime's version, the cgroup version and the seccomp architecture as attributes).
   */
  public void sandboxFacts(RuntimeFacts facts) {
    SandboxFactsGauges.register(meter, facts);
  }

  /**
   * Reports the size and free space of the file systems holding these paths ({@code
   * system.filesystem.usage} by state, and {@code system.filesystem.limit}), e.g. the images and
   * the worker's state directory.
   */
  public void filesystems(Map<String, Path> paths) {
    meter
        .upDownCounterBuilder("system.filesystem.usage")
        .setUnit("By")
        .setDescription("Used and free bytes of the file systems of the worker's images and state")
        .buildWithCallback(
            m ->
                paths.forEach(
                    (name, path) -> {
                      File f = path.toFile();
                      long total = f.getTotalSpace();
                      if (total > 0) {
                        long free = f.getUsableSpace();
                        m.record(
                            total - free,
                            Attributes.of(
                                FILESYSTEM, name, MOUNTPOINT, path.toString(), FS_STATE, "used"));
                        m.record(
                            free,
                            Attributes.of(
                                FILESYSTEM, name, MOUNTPOINT, path.toString(), FS_STATE, "free"));
                      }
                    }));
    meter
        .upDownCounterBuilder("system.filesystem.limit")
        .setUnit("By")
        .setDescription("Size of the file systems of the worker's images and state")
        .buildWithCallback(
            m ->
                paths.forEach(
                    (name, path) -> {
                      long total = path.toFile().getTotalSpace();
                      if (total > 0) {
                        m.record(
                            total, Attributes.of(FILESYSTEM, name, MOUNTPOINT, path.toString()));
                      }
                    }));
  }
}
