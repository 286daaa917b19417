package dev.polyrun.coordinator.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.polyrun.config.StageLimits;
import dev.polyrun.coordinator.ServerLimits;
import dev.polyrun.coordinator.Tenant;
import dev.polyrun.coordinator.Tenants;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class TenantsFileTest {
  private static final String DIGEST = Tenants.sha256Hex("secret-key");

  @Test
  void aFullTenantIsReadWithItsQuotasAndMaxima() {
    List<Tenant> tenants =
        TenantsFile.parse(
            """
        {"tenants": [{"name": "acme", "api-key-sha256": ["%s"], "max-active-jobs": 5,
          "submissions-per-second": 2.5, "burst": 4,
          "max-limits": {"cpu-time": "2s", "memory": "128m", "processes": 16}}]}
        """
                .formatted(DIGEST));

    Tenant acme = tenants.get(0);
    assertThat(acme.name()).isEqualTo("acme");
    assertThat(acme.maxActiveJobs()).isEqualTo(5);
    assertThat(acme.submissionsPerSecond()).isEqualTo(2.5);
    assertThat(acme.burst()).isEqualTo(4);
    StageLimits applied = acme.maxima(ServerLimits.DEFAULT_STAGE_MAXIMA);
    assertThat(applied.cpuTime()).isEqualTo(Duration.ofSeconds(2));
    assertThat(applied.memoryBytes()).isEqualTo(128L << 20);
    assertThat(applied.maxProcesses()).isEqualTo(16);
    assertThat(applied.wallTime())
        .as("left out: the server's")
        .isEqualTo(ServerLimits.DEFAULT_STAGE_MAXIMA.wallTime());
  }

  @Test
  void quotasLeftOutTakeTheDocumentedDefaults() {
    Tenant t =
        TenantsFile.parse(
                "{\"tenants\": [{\"name\": \"a\", \"api-key-sha256\": [\"" + DIGEST + "\"]}]}")
            .get(0);

    assertThat(t.maxActiveJobs()).isEqualTo(100);
    assertThat(t.submissionsPerSecond()).isEqualTo(10);
    assertThat(t.burst()).isEqualTo(10);
    assertThat(t.maxLimits()).isEmpty();
  }

  @Test
  void aTenantsMaximumIsAboveZeroAndInTheOneGrammarOfQuantities() {
    assertThatThrownBy(
            () ->
                TenantsFile.parse(
                    "{\"tenants\": [{\"name\": \"a\", \"api-key-sha256\": [\""
                        + DIGEST
                        + "\"], \"max-limits\": {\"wall-time\": \"0s\"}}]}"))
        .hasMessage(
            "tenant a max-limits.wall-time: '0s' (expected: a duration like 500ms, 2s, 5m, 1h, of at least 1ms)");
    assertThatThrownBy(
            () ->
                TenantsFile.parse(
                    "{\"tenants\": [{\"name\": \"a\", \"api-key-sha256\": [\""
                        + DIGEST
                        + "\"], \"max-limits\": {\"memory\": \"lots\"}}]}"))
        .hasMessage("tenant a max-limits.memory: 'lots' (expected: a size like 256m, 1g, 64k)");
  }

  @Test
  void aMisspeltFieldIsAnErrorNamingIt() {
    assertThatThrownBy(
            () ->
                TenantsFile.parse(
                    "{\"tenants\": [{\"name\": \"a\", \"api-key-sha256\": [\""
                        + DIGEST
                        + "\"], \"max-active-job\": 3}]}"))
        .hasMessageStartingWith("tenants[0]: unknown field \"max-active-job\" (expected: one of [");
  }

  @Test
  void aPlainKeyInsteadOfItsDigestIsRefused() {
    assertThatThrownBy(
            () ->
                TenantsFile.parse(
                    "{\"tenants\": [{\"name\": \"a\", \"api-key-sha256\": [\"secret-key\"]}]}"))
        .hasMessageContaining("api key digest 'secret-key' (expected: 64 lower-case hex digits");
  }

  @Test
  void aTenantWithoutKeysIsRefused() {
    assertThatThrownBy(() -> TenantsFile.parse("{\"tenants\": [{\"name\": \"a\"}]}"))
        .hasMessageContaining("tenant a: no \"api-key-sha256\"");
  }

  @Test
  void twoTenantsCannotShareAKey() {
    List<Tenant> tenants =
        TenantsFile.parse(
            "{\"tenants\": [{\"name\": \"a\", \"api-key-sha256\": [\""
                + DIGEST
                + "\"]}, {\"name\": \"b\", \"api-key-sha256\": [\""
                + DIGEST
                + "\"]}]}");

    assertThatThrownBy(() -> Tenants.of(tenants))
        .hasMessageContaining("tenants 'a' and 'b' share an API key digest");
  }

  @Test
  void theDocumentedExampleFileLoads() throws java.io.IOException {
    Tenants tenants = Tenants.load(java.nio.file.Path.of("tenants.example.json"));

    assertThat(tenants.forApiKey("example-key-acme")).map(Tenant::maxActiveJobs).hasValue(50);
    assertThat(tenants.forApiKey("example-key-globex-2")).map(Tenant::name).hasValue("globex");
  }

  @Test
  void aKeyIsFoundByItsDigestOnly() {
    Tenants tenants =
        Tenants.of(
            TenantsFile.parse(
                "{\"tenants\": [{\"name\": \"a\", \"api-key-sha256\": [\"" + DIGEST + "\"]}]}"));

    assertThat(tenants.forApiKey("secret-key")).map(Tenant::name).hasValue("a");
    assertThat(tenants.forApiKey(DIGEST)).isEmpty();
    assertThat(tenants.forApiKey("secret-key ")).isEmpty();
  }
}
