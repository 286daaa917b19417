package dev.polyrun.worker;

import dev.polyrun.queue.WorkQueue;
import dev.polyrun.sandbox.RuntimeFacts;
import dev.polyrun.sandbox.Sandbox;
import dev.polyrun.sandbox.SandboxPolicy;
import dev.polyrun.telemetry.Telemetry;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@link WorkerBuilder} opened for a worker, closed after the worker's slots stopped: the
 * sandbox (its work directories are gone by then), the queue (the last acknowledgements and
 * releases went through it), the telemetry last (so that it flushes what they recorded). What the
 * caller handed in is null here and left open.
 */
final class OpenedParts implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OpenedParts.class);
  Sandbox sandbox;
  WorkQueue queue;
  Telemetry telemetry;
  private RuntimeFacts facts;
  private SandboxPolicy policy;
  private OptionalInt prometheusPort = OptionalInt.empty();

  /** Records what the worker reports of its parts once they are all there. */
  void describe(Sandbox used, OptionalInt prometheusPort) {
    this.facts = used.facts();
    this.policy = used.policy();
    this.prometheusPort = prometheusPort;
  }

  RuntimeFacts facts() {
    return facts;
  }

  SandboxPolicy policy() {
    return policy;
  }

  OptionalInt prometheusPort() {
    return prometheusPort;
  }

  /** Closes the sandbox, the queue and the telemetry, each even when the one before failed. */
  @Override
  public synchronized void close() {
    closeQuietly("sandbox", sandbox);
    sandbox = null;
    closeQuietly("queue", queue);
    queue = null;
    closeQuietly("telemetry", telemetry);
    telemetry = null;
  }

  private static void closeQuietly(String what, AutoCloseable part) {
    if (part == null) {
      return;
    }
    try {
      part.close();
    } catch (Exception e) {
      log.warn("cannot close the worker's {}: {}", what, e.getMessage());
    }
  }
}
