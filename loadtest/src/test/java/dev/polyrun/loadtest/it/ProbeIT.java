package dev.polyrun.loadtest.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.polyrun.loadtest.LoadtestCli;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The synthetic probe against the real cluster: its smoke mode, its metrics on both exporters, and
 * its canary runs' spans by OTLP.
 */
@ExtendWith(LocalClusterExtension.class)
class ProbeIT {
  private static LocalClusterExtension.Cluster cluster;

  @BeforeAll
  static void cluster(LocalClusterExtension.Cluster started) {
    cluster = started;
  }

  @Test
  void onceExitsZeroWhenEveryCanaryPasses() {
    int code =
        LoadtestCli.run(
            "probe", "--once", "--lang", "python", "--cluster-dir", cluster.dir().toString());

    assertThat(code).isZero();
  }

  @Test
  void onceExitsNonZeroWhenACanaryFails(@TempDir Path dir) throws Exception {
    Path canaries = dir.resolve("canaries.json");
    Files.writeString(
        canaries,
        """
        {"programs": [
          {"name": "python-hello", "language": "python", "source": "print('Hello, world!')",
           "expectedText": "Hello, world!\\n"},
          {"name": "python-wrong", "language": "python", "source": "print('Hello, world!')",
           "expectedText": "Goodbye, world!\\n"}]}""");

    int code =
        LoadtestCli.run(
            "probe",
            "--once",
            "--canaries",
            canaries.toString(),
            "--cluster-dir",
            cluster.dir().toString());

    assertThat(code).isEqualTo(1);
  }

  @Test
  void theDaemonExportsSuccessAndLatencyForPrometheusAndOtlpAndATracePerCanaryRun()
      throws Exception {
    List<String> otlpBodies = Collections.synchronizedList(new ArrayList<>());
    List<String> traceBodies = Collections.synchronizedList(new ArrayList<>());
    HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receive(receiver, "/v1/metrics", otlpBodies);
    receive(receiver, "/v1/traces", traceBodies);
    receive(receiver, "/v1/logs", Collections.synchronizedList(new ArrayList<>()));
    receiver.start();
    int metricsPort;
    try (ServerSocket s = new ServerSocket(0)) {
      metricsPort = s.getLocalPort();
    }
    ProcessBuilder pb =
        new ProcessBuilder(
                LocalClusterExtension.ROOT.resolve("bin/loadtest").toString(),
                "probe",
                "--interval",
                "1s",
                "--metrics-port",
                Integer.toString(metricsPort),
                "--lang",
                "python",
                "--no-judged",
                "--no-time-limit")
            .redirectErrorStream(true);
    pb.environment().put("POLYRUN_CLUSTER_DIR", cluster.dir().toString());
    pb.environment()
        .put("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:" + receiver.getAddress().getPort());
    pb.environment().put("OTEL_METRIC_EXPORT_INTERVAL", "1000");
    Process probe = pb.start();
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    Thread.ofVirtual()
        .start(
            () -> {
              try {
                probe.getInputStream().transferTo(log);
              } catch (java.io.IOException e) {
                // the probe was stopped
              }
            });
    String scraped = "";
    try {
      HttpClient http = HttpClient.newHttpClient();
      long deadline = System.nanoTime() + 90_000_000_000L;
      while (System.nanoTime() < deadline
          && !(scraped.contains("outcome=\"ok\"")
              && exported(otlpBodies)
              && exported(traceBodies))) {
        Thread.sleep(500);
        try {
          scraped =
              http.send(
                      HttpRequest.newBuilder(
                              URI.create("http://127.0.0.1:" + metricsPort + "/metrics"))
                          .build(),
                      HttpResponse.BodyHandlers.ofString())
                  .body();
        } catch (java.io.IOException notYet) {
          // the endpoint starts with the probe
        }
      }
    } finally {
      probe.destroy();
      probe.waitFor();
      receiver.stop(0);
    }

    assertThat(scraped)
        .as(log.toString())
        .contains(
            "polyrun_probe_runs_total{",
            "canary=\"python-hello\"",
            "language=\"python\"",
            "outcome=\"ok\"",
            "polyrun_probe_latency_seconds_bucket{",
            "polyrun_probe_success{",
            "polyrun_probe_last_success_timestamp_seconds{");
    assertThat(otlpBodies)
        .as(log.toString())
        .isNotEmpty()
        .anySatisfy(
            b ->
                assertThat(b)
                    .startsWith("application/x-protobuf")
                    .contains("polyrun.probe.runs", "python-hello", "polyrun-probe"));
    // the canary's span and the client span of its call (which carries its traceparent), maybe in
    // two batches
    assertThat(String.join("\n", traceBodies))
        .as(log.toString())
        .contains(
            "polyrun.probe.canary",
            "python-hello",
            "polyrun.job.id",
            "polyrun.v1.ExecutorService/Execute");
  }

  private static void receive(HttpServer receiver, String path, List<String> bodies) {
    receiver.createContext(
        path,
        exchange -> {
          bodies.add(
              exchange.getRequestHeaders().getFirst("Content-Type")
                  + " "
                  + new String(
                      exchange.getRequestBody().readAllBytes(), StandardCharsets.ISO_8859_1));
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
  }

  private static boolean exported(List<String> bodies) {
    synchronized (bodies) {
      return bodies.stream()
          .anyMatch(b -> b.contains("polyrun.probe.runs") || b.contains("polyrun.probe.canary"));
    }
  }
}
