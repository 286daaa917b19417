package dev.polyrun.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.polyrun.config.Settings;
import dev.polyrun.queue.Durability;
import dev.polyrun.sandbox.PolicyOverride;
import dev.polyrun.sandbox.SandboxOptions;
import dev.polyrun.telemetry.TelemetryOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WorkerSettingsTest {
  @TempDir Path dir;

  @Test
  void unsetKeysTakeTheDocumentedDefaults() {
    WorkerSettings s = WorkerSettings.fromSettings(Settings.of(Map.of()));

    assertThat(s.workerId())
        .endsWith("-" + ProcessHandle.current().pid())
        .matches("[A-Za-z0-9_.:-]{1,100}");
    assertThat(s.slots()).isEqualTo(1);
    assertThat(s.pollInterval()).isEqualTo(Duration.ofSeconds(2));
    assertThat(s.heartbeatInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(s.gracePeriod()).isEqualTo(Duration.ofSeconds(25));
    assertThat(s.renewEvery()).isEqualTo(Duration.ofSeconds(10));
    assertThat(s.runtime()).isEqualTo(SandboxOptions.LAUNCHER);
    assertThat(s.stateDir()).isEqualTo(Path.of("/var/lib/polyrun/worker"));
    assertThat(s.imageDir()).isEqualTo(Path.of("/var/lib/polyrun/images"));
    assertThat(s.languages()).isEmpty();
    assertThat(s.sandboxPolicy().origin()).isEqualTo(PolicyOverride.none().origin());
    assertThat(s.durability()).isEqualTo(Durability.memory());
    assertThat(s.redis().address()).isEqualTo("127.0.0.1:6379");
    assertThat(s.telemetry().prometheus()).isEqualTo(TelemetryOptions.Prometheus.OFF);
    assertThat(s.telemetry().serviceName()).isEqualTo("polyrun-worker");
  }

  @Test
  void theBuilderStartsFromTheSameDefaultsAsTheSettings() {
    WorkerSettings built = WorkerSettings.builder().workerId("w").build();
    WorkerSettings read = WorkerSettings.fromSettings(Settings.of(Map.of("worker.id", "w")));

    assertThat(built)
        .usingRecursiveComparison()
        .ignoringFields("telemetry", "sandboxPolicy", "redis")
        .isEqualTo(read);
    assertThat(built.redis().address()).isEqualTo(read.redis().address());
  }

  @Test
  void everyWorkerKeyIsRead() throws IOException {
    Path policy =
        Files.writeString(dir.resolve("policy.json"), "{\"ids\": {\"base\": 1100000000}}");
    WorkerSettings s =
        WorkerSettings.fromSettings(
            Settings.of(
                Map.ofEntries(
                    Map.entry("worker.id", "pool-a-7"),
                    Map.entry("worker.slots", "4"),
                    Map.entry("worker.poll-interval", "500ms"),
                    Map.entry("worker.heartbeat-interval", "2s"),
                    Map.entry("worker.grace-period", "1m"),
                    Map.entry("worker.runtime", "runc"),
                    Map.entry("worker.state-dir", dir.resolve("state").toString()),
                    Map.entry("image.dir", dir.resolve("images").toString()),
                    Map.entry("worker.languages", " python, c ,,python"),
                    Map.entry("worker.sandbox-policy", policy.toString()),
                    Map.entry("worker.durability", "replica:2"),
                    Map.entry("worker.durability-timeout", "3s"),
                    Map.entry("redis.address", "redis://127.0.0.1:7000"),
                    Map.entry("queue.lease", "6s"),
                    Map.entry("telemetry.prometheus.port", "9400"),
                    Map.entry("telemetry.prometheus.host", "0.0.0.0"))));

    assertThat(s.workerId()).isEqualTo("pool-a-7");
    assertThat(s.slots()).isEqualTo(4);
    assertThat(s.pollInterval()).isEqualTo(Duration.ofMillis(500));
    assertThat(s.heartbeatInterval()).isEqualTo(Duration.ofSeconds(2));
    assertThat(s.gracePeriod()).isEqualTo(Duration.ofMinutes(1));
    assertThat(s.runtime()).isEqualTo("runc");
    assertThat(s.stateDir()).isEqualTo(dir.resolve("state"));
    assertThat(s.imageDir()).isEqualTo(dir.resolve("images"));
    assertThat(s.languages()).containsExactly("c", "python");
    assertThat(s.sandboxPolicy().origin()).isEqualTo(policy.toString());
    assertThat(s.durability()).isEqualTo(Durability.replicas(2, Duration.ofSeconds(3)));
    assertThat(s.queueOptions().durability()).isEqualTo(s.durability());
    assertThat(s.redis().address()).isEqualTo("127.0.0.1:7000");
    assertThat(s.queueOptions().lease()).isEqualTo(Duration.ofSeconds(6));
    assertThat(s.renewEvery()).isEqualTo(Duration.ofSeconds(2));
    assertThat(s.telemetry().prometheus()).isEqualTo(TelemetryOptions.Prometheus.SERVER);
    assertThat(s.telemetry().prometheusPort()).isEqualTo(9400);
    assertThat(s.telemetry().prometheusHost()).isEqualTo("0.0.0.0");
  }

  @Test
  void theOlderMetricsPortKeyStillTurnsTheScrapeOn() {
    WorkerSettings s =
        WorkerSettings.fromSettings(Settings.of(Map.of("worker.metrics-port", "9401")));

    assertThat(s.telemetry().prometheus()).isEqualTo(TelemetryOptions.Prometheus.SERVER);
    assertThat(s.telemetry().prometheusPort()).isEqualTo(9401);
    assertThat(s.telemetry().prometheusHost()).isEqualTo("127.0.0.1");
  }

  @Test
  void theSandboxOptionsFollowTheSettings() {
    WorkerSettings s = WorkerSettings.builder().slots(3).runtime("runc").stateDir(dir).build();

    SandboxOptions options = s.sandboxOptions();

    assertThat(options.slots()).isEqualTo(3);
    assertThat(options.runtime()).isEqualTo("runc");
    assertThat(options.stateDirectory()).isEqualTo(dir);
  }

  @Test
  void toBuilderKeepsEverythingButWhatIsChanged() {
    WorkerSettings s =
        WorkerSettings.builder().workerId("a").slots(2).languages(List.of("c")).build();

    WorkerSettings changed = s.toBuilder().slots(5).build();

    assertThat(changed.slots()).isEqualTo(5);
    assertThat(changed.workerId()).isEqualTo("a");
    assertThat(changed.languages()).containsExactly("c");
    assertThat(s.slots()).isEqualTo(2);
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "worker.id | has space | worker.id: 'has space' (expected: 1 to 100 of [A-Za-z0-9_.:-])",
        "worker.slots | 0 | worker.slots: '0' (expected: an integer from 1 to 256)",
        "worker.slots | 257 | worker.slots: '257' (expected: an integer from 1 to 256)",
        "worker.poll-interval | 5ms | worker.poll-interval: 5ms (expected: 10ms to 30s)",
        "worker.poll-interval | 1m | worker.poll-interval: 1m (expected: 10ms to 30s)",
        "worker.heartbeat-interval | 50ms | worker.heartbeat-interval: 50ms (expected: 100ms to 1m)",
        "worker.grace-period | 2h | worker.grace-period: 2h (expected: 0s to 1h)",
        "worker.grace-period | soon | worker.grace-period: 'soon' (expected: a duration like",
        "worker.languages | python,c++ x | worker.languages: 'c++ x' (expected: language names",
        "worker.durability | sometimes | worker.durability: 'sometimes' (expected: memory, fsync, or replica:N",
        "worker.durability | replica:200 | worker.durability: replicas: 200 (expected: 1..100)",
        "worker.durability-timeout | later | worker.durability-timeout: 'later' (expected: a duration like",
        "telemetry.prometheus.port | 70000 | telemetry.prometheus.port: '70000' (expected: an integer from 0 to 65535)",
        "worker.metrics-port | -1 | worker.metrics-port: '-1' (expected: an integer from 0 to 65535)",
        "queue.lease | forever | queue.lease: 'forever' (expected: a duration like",
      })
  void aBadSettingIsRefusedNamingItsValueAndTheExpectedOne(
      String key, String value, String message) {
    assertThatThrownBy(() -> WorkerSettings.fromSettings(Settings.of(Map.of(key, value))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(message);
  }

  @Test
  void aReplicaWaitOutOfRangeNamesTheTimeoutKey() {
    assertThatThrownBy(
            () ->
                WorkerSettings.fromSettings(
                    Settings.of(
                        Map.of(
                            "worker.durability", "replica:1", "worker.durability-timeout", "2m"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("worker.durability-timeout: ")
        .hasMessageContaining("(expected: 1ms..60s)");
  }

  @Test
  void anUnreadablePolicyFileIsRefusedNamingTheFile() {
    Path missing = dir.resolve("no-such-policy.json");

    assertThatThrownBy(
            () ->
                WorkerSettings.fromSettings(
                    Settings.of(Map.of("worker.sandbox-policy", missing.toString()))))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageStartingWith("worker.sandbox-policy: cannot read '" + missing + "'");
  }

  @Test
  void aPolicyFileThatIsNotAPolicyIsRefusedNamingTheFile() throws IOException {
    Path bad = Files.writeString(dir.resolve("bad.json"), "{\"no-such-part\": 1}");

    assertThatThrownBy(
            () ->
                WorkerSettings.fromSettings(
                    Settings.of(Map.of("worker.sandbox-policy", bad.toString()))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(bad.toString());
  }

  @Test
  void theBuilderRefusesWhatTheSettingsWouldRefuse() {
    WorkerSettings.Builder b = WorkerSettings.builder();

    assertThatThrownBy(() -> b.slots(0)).hasMessage("worker.slots: 0 (expected: 1 to 256)");
    assertThatThrownBy(() -> b.workerId(null))
        .hasMessage("worker.id: null (expected: 1 to 100 of [A-Za-z0-9_.:-])");
    assertThatThrownBy(() -> b.workerId("x".repeat(101))).hasMessageStartingWith("worker.id: 'xxx");
    assertThatThrownBy(() -> b.runtime(" "))
        .hasMessage(
            "worker.runtime: ' ' (expected: polyrun-launcher, runc, or another OCI runtime)");
    assertThatThrownBy(() -> b.pollInterval(null))
        .hasMessage("worker.poll-interval: null (expected: 10ms to 30s)");
    assertThatThrownBy(() -> b.gracePeriod(Duration.ofMillis(-1)))
        .hasMessage("worker.grace-period: -1ms (expected: 0s to 1h)");
    assertThatThrownBy(() -> b.languages(List.of("")))
        .hasMessageStartingWith("worker.languages: '' (expected: language names");
    assertThatThrownBy(
            () ->
                b.sandboxPolicy(
                    PolicyOverride.parse("{}", "lang.json", PolicyOverride.Scope.LANGUAGE)))
        .hasMessage("worker.sandbox-policy: lang.json has scope LANGUAGE (expected: OPERATOR)");
  }
}
