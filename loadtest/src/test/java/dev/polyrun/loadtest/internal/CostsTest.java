package dev.polyrun.loadtest.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.polyrun.loadtest.Latency;
import dev.polyrun.loadtest.RunReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CostsTest {
  private static final InstancePrices PRICES =
      new InstancePrices(
          "test prices",
          List.of(
              new InstancePrices.Instance("two", 2, 4, 0.10),
              new InstancePrices.Instance("eight", 8, 16, 0.40)));

  private static RunReport.ProgramStats program(String name, long count, Double cpuMs) {
    return new RunReport.ProgramStats(
        name,
        "python",
        count,
        0,
        1,
        Latency.EMPTY,
        Map.of(),
        null,
        null,
        null,
        Map.of(),
        Map.of(),
        cpuMs,
        cpuMs == null ? null : "results");
  }

  @Test
  void costPerMillionFollowsFromCpuPerJobUtilisationAndPrice() {
    RunReport.CostReport report =
        Costs.report(List.of(program("p", 10, 100.0)), PRICES, 0.5, 10, null);

    RunReport.CostRow two = report.rows().get(0);
    // 2 vCPU * 0.5 * 3.6e6 ms / 100 ms = 36000 jobs an hour; $0.10 / 36000 * 1e6 = $2.78 per
    // million.
    assertThat(two.jobsPerHour()).isCloseTo(36_000, within(1e-6));
    assertThat(two.usdPerMillion()).isCloseTo(0.10 / 36_000 * 1e6, within(1e-9));
    // 10 per second = 36000 an hour: exactly one such worker.
    assertThat(two.workersForPlanRate()).isEqualTo(1);
    assertThat(report.rows().get(1).workersForPlanRate()).isEqualTo(1);
  }

  @Test
  void aMixRowWeighsProgramsByTheirRuns() {
    RunReport.CostReport report =
        Costs.report(List.of(program("a", 3, 100.0), program("b", 1, 500.0)), PRICES, 1, 1, null);

    assertThat(report.rows())
        .filteredOn(r -> r.program().equals("mix"))
        .allSatisfy(r -> assertThat(r.cpuMsPerJob()).isCloseTo(200, within(1e-9)))
        .hasSize(2);
  }

  @Test
  void programsWithoutCpuFallBackToTheMeasuredMix() {
    RunReport.CostReport report =
        Costs.report(List.of(program("a", 3, null)), PRICES, 1, 1, null, 250.0, "proc");

    assertThat(report.rows()).hasSize(2).allSatisfy(r -> assertThat(r.program()).isEqualTo("mix"));
  }

  @Test
  void aUtilisationAboveOneIsRefused() {
    assertThatThrownBy(() -> Costs.report(List.of(), PRICES, 1.5, 1, null))
        .hasMessageContaining("utilization: 1.5");
  }

  @Test
  void theShippedPriceTableSaysWhenItsPricesWereTaken() {
    InstancePrices shipped = InstancePrices.read(Path.of("instance-prices.csv"));

    assertThat(shipped.note()).contains("as of").contains("check before use");
    assertThat(shipped.instances())
        .extracting(InstancePrices.Instance::name)
        .contains("c7g.large", "c7i.large", "m7i.large");
  }

  @Test
  void aBadPriceLineIsNamed(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("prices.csv");
    Files.writeString(file, "instance,vcpus,memory_gib,usd_per_hour\nbig,lots,4,0.1\n");

    assertThatThrownBy(() -> InstancePrices.read(file))
        .hasMessageContaining("line 2")
        .hasMessageContaining("big,lots");
  }
}
