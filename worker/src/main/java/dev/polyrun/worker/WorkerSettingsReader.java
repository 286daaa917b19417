package dev.polyrun.worker;

import dev.polyrun.config.Settings;
import dev.polyrun.queue.Durability;
import dev.polyrun.queue.QueueSettings;
import dev.polyrun.sandbox.PolicyOverride;
import dev.polyrun.telemetry.TelemetryOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads {@link WorkerSettings} from a process's {@link Settings}: the one place the {@code
 * worker.*} keys are read. A key that is not set keeps the builder's default.
 */
final class WorkerSettingsReader {
  private final Settings settings;
  private final WorkerSettings.Builder b = WorkerSettings.builder();

  private WorkerSettingsReader(Settings settings) {
    this.settings = settings;
  }

  static WorkerSettings read(Settings settings) {
    return new WorkerSettingsReader(settings).read();
  }

  private WorkerSettings read() {
    set("worker.id", b::workerId);
    b.slots(
        settings.getInt("worker.slots", WorkerSettings.DEFAULT_SLOTS, 1, WorkerSettings.MAX_SLOTS));
    b.pollInterval(
        settings.getDuration("worker.poll-interval", WorkerSettings.DEFAULT_POLL_INTERVAL));
    b.heartbeatInterval(
        settings.getDuration(
            "worker.heartbeat-interval", WorkerSettings.DEFAULT_HEARTBEAT_INTERVAL));
    b.gracePeriod(settings.getDuration("worker.grace-period", WorkerSettings.DEFAULT_GRACE_PERIOD));
    set("worker.runtime", b::runtime);
    set("worker.state-dir", dir -> b.stateDir(Path.of(dir)));
    set("image.dir", dir -> b.imageDir(Path.of(dir)));
    // worker.languages: the languages this worker serves (default: every built image), so that one
    // host's images can be split between pools of a mixed fleet
    set(
        "worker.languages",
        list ->
            b.languages(
                Arrays.stream(list.split(","))
                    .map(String::strip)
                    .filter(n -> !n.isEmpty())
                    .toList()));
    set("worker.sandbox-policy", this::sandboxPolicy);
    b.durability(durability());
    b.redis(QueueSettings.redis(settings));
    b.queue(QueueSettings.queueOptions(settings));
    b.telemetry(telemetry());
    return b.build();
  }

  /** Sets a string setting when it is present and not blank. */
  private void set(String key, java.util.function.Consumer<String> setter) {
    String value = settings.get(key, null);
    if (value != null && !value.isBlank()) {
      setter.accept(value.strip());
    }
  }

  private void sandboxPolicy(String file) {
    try {
      b.sandboxPolicy(PolicyOverride.load(Path.of(file), PolicyOverride.Scope.OPERATOR));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "worker.sandbox-policy: cannot read '" + file + "': " + e.getMessage(), e);
    }
  }

  /**
   * {@code worker.durability}: {@code memory} (default) or {@code replica:N}, which makes the
   * worker wait for N replicas to hold a result before it acknowledges the delivery, so that a
   * failover does not run a finished job again; {@code worker.durability-timeout} bounds the wait.
   */
  private Durability durability() {
    String raw = settings.get("worker.durability", "memory");
    java.time.Duration timeout =
        settings.getDuration("worker.durability-timeout", Durability.DEFAULT_TIMEOUT);
    try {
      return Durability.parse(raw, timeout);
    } catch (IllegalArgumentException e) {
      String message = e.getMessage();
      if (message.startsWith("durability: ")) {
        throw new IllegalArgumentException("worker." + message, e);
      }
      String key =
          message.startsWith("replica timeout") ? "worker.durability-timeout" : "worker.durability";
      throw new IllegalArgumentException(key + ": " + message, e);
    }
  }

  /**
   * The telemetry module's keys; the scrape port is {@code telemetry.prometheus.port} (or the older
   * {@code worker.metrics-port}), off unless set, on {@code telemetry.prometheus.host}.
   */
  private TelemetryOptions telemetry() {
    TelemetryOptions.Builder t =
        TelemetryOptions.fromSettings(WorkerSettings.SERVICE_NAME, key -> settings.get(key, null))
            .prometheus(TelemetryOptions.Prometheus.OFF);
    int port =
        settings.getInt(
            "telemetry.prometheus.port",
            settings.getInt("worker.metrics-port", 0, 0, 65535),
            0,
            65535);
    if (port > 0) {
      t.prometheusServer(settings.get("telemetry.prometheus.host", "127.0.0.1"), port);
    }
    return t.build();
  }
}
