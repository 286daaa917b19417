package dev.polyrun.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboards are provisioning-ready: valid JSON, unique ids, a query in every chart
 * that names a metric (whether the processes export it is MonitoringIT's check).
 */
class DashboardsTest {
  private static final Path GRAFANA =
      Path.of(System.getProperty("polyrun.monitoring.dir", ".")).resolve("grafana");

  private static List<JsonObject> dashboards() throws Exception {
    List<JsonObject> all = new ArrayList<>();
    try (Stream<Path> files = Files.list(GRAFANA.resolve("dashboards"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
        all.add(JsonParser.parseString(Files.readString(f)).getAsJsonObject());
      }
    }
    return all;
  }

  @Test
  void theFourDashboardsHaveUniqueIdsAndTitles() throws Exception {
    List<JsonObject> all = dashboards();

    assertThat(all)
        .extracting(d -> d.get("uid").getAsString())
        .containsExactlyInAnyOrder(
            "polyrun-overview", "polyrun-queue", "polyrun-workers", "polyrun-probe");
    assertThat(all).extracting(d -> d.get("title").getAsString()).doesNotHaveDuplicates();
  }

  @Test
  void everyChartHasAQueryOnTheChosenPrometheusAndAPlaceOfItsOwn() throws Exception {
    for (JsonObject d : dashboards()) {
      Set<Integer> ids = new HashSet<>();
      for (JsonElement e : d.getAsJsonArray("panels")) {
        JsonObject panel = e.getAsJsonObject();
        assertThat(ids.add(panel.get("id").getAsInt())).as("panel ids of " + d.get("uid")).isTrue();
        assertThat(panel.getAsJsonObject("gridPos").get("w").getAsInt()).isBetween(1, 24);
        if (panel.get("type").getAsString().equals("row")) {
          continue;
        }
        JsonArray targets = panel.getAsJsonArray("targets");
        assertThat(targets).as(panel.get("title").getAsString()).isNotEmpty();
        for (JsonElement t : targets) {
          assertThat(t.getAsJsonObject().get("expr").getAsString()).isNotBlank();
          assertThat(t.getAsJsonObject().getAsJsonObject("datasource").get("uid").getAsString())
              .isEqualTo("${datasource}");
        }
      }
    }
  }

  @Test
  void provisioningPointsGrafanaAtTheDashboards() throws Exception {
    String provider = Files.readString(GRAFANA.resolve("provisioning/dashboards.yml"));

    assertThat(provider).contains("apiVersion: 1").contains("type: file").contains("path: ");
    assertThat(Files.readString(GRAFANA.resolve("provisioning/datasources.yml")))
        .contains("type: prometheus");
  }

  @Test
  void everyChartQueryNamesAMetricThatTheScrapeTestChecks() throws Exception {
    // MonitoringIT checks the names found here against the processes' scrapes: a query whose
    // metric the extractor cannot see would escape that check.
    for (JsonObject d : dashboards()) {
      for (JsonElement e : d.getAsJsonArray("panels")) {
        JsonObject panel = e.getAsJsonObject();
        if (panel.has("targets")) {
          for (JsonElement t : panel.getAsJsonArray("targets")) {
            String expr = t.getAsJsonObject().get("expr").getAsString();
            assertThat(MetricReferences.namesIn(expr))
                .as(d.get("uid") + " / " + panel.get("title") + ": " + expr)
                .isNotEmpty();
          }
        }
      }
    }
    assertThat(MetricReferences.inMonitoring(GRAFANA.getParent()))
        .contains(
            "polyrun_queue_oldest_age_seconds",
            "rpc_server_duration_milliseconds_bucket",
            "polyrun_probe_success",
            "polyrun_probe_last_success_timestamp_seconds");
    assertThat(
            MetricReferences.namesIn(
                "sum by (language) (rate(polyrun_worker_jobs_total{verdict=\"polyrun_x\"}[5m]))"))
        .containsExactly("polyrun_worker_jobs_total");
  }
}
