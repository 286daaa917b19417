package dev.polyrun.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.polyrun.config.Settings;
import dev.polyrun.config.StageLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CoordinatorSettingsTest {
  @Test
  void keysAreTheDefaultAndNeedATenantsFile() {
    assertThatThrownBy(() -> CoordinatorSettings.read(Settings.of(Map.of())))
        .hasMessageStartingWith("coordinator.tenants-file: not set");
  }

  @Test
  void theTenantsFileAndEverySettingAreRead() {
    CoordinatorOptions o =
        CoordinatorSettings.read(
            Settings.of(
                Map.of(
                    "coordinator.tenants-file", "tenants.example.json",
                    "coordinator.limits.memory", "1g",
                    "coordinator.limits.wall-time", "30s",
                    "coordinator.limits.test-cases", "20",
                    "coordinator.admission.max-queue-depth", "50",
                    "coordinator.admission.max-queue-age", "0s",
                    "coordinator.idempotency-ttl", "2h",
                    "queue.job-ttl", "30m")));

    assertThat(o.auth()).isEqualTo(AuthMode.KEYS);
    assertThat(o.tenants().all()).hasSize(2);
    assertThat(o.limits().stage().memoryBytes()).isEqualTo(1L << 30);
    assertThat(o.limits().stage().wallTime()).isEqualTo(Duration.ofSeconds(30));
    assertThat(o.limits().maxTestCases()).isEqualTo(20);
    assertThat(o.admission().maxQueueDepth()).isEqualTo(50);
    assertThat(o.admission().maxQueueAge()).isZero();
    assertThat(o.idempotencyTtl()).isEqualTo(Duration.ofHours(2));
    assertThat(o.jobRetention()).isEqualTo(Duration.ofMinutes(30));
    assertThat(o.tls()).isEmpty();
  }

  @Test
  void noAuthMustBeAskedForAndNeedsNoTenants() {
    assertThat(CoordinatorSettings.read(Settings.of(Map.of("coordinator.auth", "none"))).auth())
        .isEqualTo(AuthMode.NONE);
    assertThatThrownBy(
            () -> CoordinatorSettings.read(Settings.of(Map.of("coordinator.auth", "off"))))
        .hasMessage("coordinator.auth: 'off' (expected: keys or none)");
  }

  @Test
  void tlsNeedsBothFilesAndRequiresClientCertificatesWithAClientCa() {
    assertThatThrownBy(
            () ->
                CoordinatorSettings.read(
                    Settings.of(
                        Map.of("coordinator.auth", "none", "coordinator.tls.cert", "a.pem"))))
        .hasMessageContaining("only one is set");

    CoordinatorOptions o =
        CoordinatorSettings.read(
            Settings.of(
                Map.of(
                    "coordinator.auth",
                    "none",
                    "coordinator.tls.cert",
                    "a.pem",
                    "coordinator.tls.key",
                    "a.key",
                    "coordinator.tls.client-ca",
                    "ca.pem")));

    assertThat(o.tls())
        .hasValueSatisfying(
            tls -> {
              assertThat(tls.clientAuth()).isEqualTo(TlsOptions.ClientAuth.REQUIRED);
              assertThat(tls.clientCa()).hasValue(Path.of("ca.pem"));
            });
  }

  @Test
  void concurrentStreamsPerConnectionDefaultToManyAndAreBounded() {
    assertThat(
            CoordinatorSettings.read(Settings.of(Map.of("coordinator.auth", "none")))
                .maxConcurrentStreams())
        .isEqualTo(4096);
    assertThat(
            CoordinatorSettings.read(
                    Settings.of(
                        Map.of(
                            "coordinator.auth",
                            "none",
                            "coordinator.max-concurrent-streams",
                            "250")))
                .maxConcurrentStreams())
        .isEqualTo(250);
    assertThatThrownBy(
            () ->
                CoordinatorSettings.read(
                    Settings.of(
                        Map.of(
                            "coordinator.auth",
                            "none",
                            "coordinator.max-concurrent-streams",
                            "0"))))
        .hasMessage(
            "coordinator.max-concurrent-streams: '0' (expected: an integer from 1 to 1000000)");
  }

  @Test
  void everyStageMaximumIsReadAndNoneMayBeZero() {
    CoordinatorOptions o =
        CoordinatorSettings.read(
            Settings.of(
                Map.of(
                    "coordinator.auth",
                    "none",
                    "coordinator.limits.cpu-time",
                    "10s",
                    "coordinator.limits.processes",
                    "64",
                    "coordinator.limits.output",
                    "1m",
                    "coordinator.limits.file-size",
                    "2m")));

    assertThat(o.limits().stage())
        .isEqualTo(
            new StageLimits(
                Duration.ofSeconds(10), Duration.ofSeconds(120), 2L << 30, 64, 1L << 20, 2L << 20));
    assertThatThrownBy(
            () ->
                CoordinatorSettings.read(
                    Settings.of(
                        Map.of("coordinator.auth", "none", "coordinator.limits.file-size", "0"))))
        .hasMessage(
            "coordinator.limits.file-size: '0' (expected: a size like 256m, 1g, 64k, above zero)");
  }

  @Test
  void aBadValueNamesTheKeyAndTheExpectedForm() {
    assertThatThrownBy(
            () ->
                CoordinatorSettings.read(
                    Settings.of(
                        Map.of("coordinator.auth", "none", "coordinator.limits.memory", "lots"))))
        .hasMessage("coordinator.limits.memory: 'lots' (expected: a size like 256m, 1g, 64k)");
  }

  @Test
  void theDurabilityIsReadWithItsTimeoutAndABadOneIsNamed() {
    assertThat(CoordinatorSettings.durability(Settings.of(Map.of())))
        .isEqualTo(dev.polyrun.queue.Durability.memory());
    assertThat(
            CoordinatorSettings.durability(
                Settings.of(
                    Map.of(
                        "coordinator.durability",
                        "replica:2",
                        "coordinator.durability-timeout",
                        "250ms"))))
        .isEqualTo(dev.polyrun.queue.Durability.replicas(2, Duration.ofMillis(250)));
    assertThatThrownBy(
            () ->
                CoordinatorSettings.durability(
                    Settings.of(Map.of("coordinator.durability", "disk"))))
        .hasMessageStartingWith(
            "coordinator.durability: 'disk' (expected: memory, fsync, or replica:N");
  }
}
