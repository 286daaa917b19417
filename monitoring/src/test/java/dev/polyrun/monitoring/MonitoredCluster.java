package dev.polyrun.monitoring;

import dev.polyrun.proto.v1.ExecuteRequest;
import dev.polyrun.proto.v1.ExecutorServiceGrpc;
import dev.polyrun.proto.v1.JobEvent;
import dev.polyrun.proto.v1.SourceFile;
import dev.polyrun.queue.testing.TestRedis;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Redis, a coordinator and a worker, each its own process with its telemetry on: both export by
 * OTLP to the test's receiver (the coordinator configured by polyrun's setting, the worker by the
 * standard {@code OTEL_EXPORTER_OTLP_ENDPOINT}) and serve a Prometheus scrape. The synthetic probe
 * ({@code bin/loadtest probe}) runs against them, exporting to the same receiver, with one canary
 * that passes and one that must fail, so that its failure series exist too.
 */
final class MonitoredCluster implements AutoCloseable {
  static final Path IMAGES =
      Path.of(System.getProperty("polyrun.images.dir", "/var/lib/polyrun/images"));
  final TestRedis redis = TestRedis.startLocalOnFreePort();
  final OtlpReceiver otlp = new OtlpReceiver();
  final Path dir = Files.createTempDirectory("polyrun-monitoring");
  final int grpcPort = TestRedis.freePort();
  final int coordinatorHttpPort = TestRedis.freePort();
  final int workerMetricsPort = TestRedis.freePort();
  final int probeMetricsPort = TestRedis.freePort();
  final PolyrunProcess coordinator;
  final PolyrunProcess worker;
  private PolyrunProcess probe;
  final ManagedChannel channel;
  private final List<AutoCloseable> closing = new ArrayList<>();

  MonitoredCluster() throws Exception {
    Map<String, String> common = new HashMap<>();
    common.put("POLYRUN_REDIS_ADDRESS", redis.uri());
    common.put("POLYRUN_TELEMETRY_EXPORT_INTERVAL", "500ms");
    common.put("OTEL_BSP_SCHEDULE_DELAY", "200");
    common.put("OTEL_BLRP_SCHEDULE_DELAY", "200");
    Map<String, String> w = new HashMap<>(common);
    w.put("OTEL_EXPORTER_OTLP_ENDPOINT", otlp.endpoint());
    w.put("POLYRUN_IMAGE_DIR", IMAGES.toString());
    w.put("POLYRUN_WORKER_STATE_DIR", dir.resolve("worker").toString());
    w.put("POLYRUN_WORKER_ID", "monitored-worker");
    w.put("POLYRUN_WORKER_SLOTS", "1");
    w.put("POLYRUN_TELEMETRY_PROMETHEUS_PORT", Integer.toString(workerMetricsPort));
    worker = PolyrunProcess.start("worker", "dev.polyrun.worker.WorkerMain", w, dir);
    closing.add(worker);
    Map<String, String> c = new HashMap<>(common);
    c.put("POLYRUN_TELEMETRY_OTLP_ENDPOINT", otlp.endpoint());
    c.put("POLYRUN_COORDINATOR_GRPC_PORT", Integer.toString(grpcPort));
    c.put("POLYRUN_COORDINATOR_HTTP_PORT", Integer.toString(coordinatorHttpPort));
    c.put("POLYRUN_COORDINATOR_AUTH", "none");
    coordinator =
        PolyrunProcess.start("coordinator", "dev.polyrun.coordinator.CoordinatorMain", c, dir);
    closing.add(coordinator);
    worker.awaitLog("started with", Duration.ofSeconds(60));
    coordinator.awaitLog("coordinator listening", Duration.ofSeconds(60));
    channel = ManagedChannelBuilder.forAddress("127.0.0.1", grpcPort).usePlaintext().build();
  }

  /**
   * Starts the probe with two canaries: {@code python-hello}, which passes, and {@code
   * python-wrong}, which expects another output and fails with reason {@code output}.
   */
  void startProbe() throws IOException, InterruptedException {
    Path canaries = dir.resolve("canaries.json");
    Files.writeString(
        canaries,
        """
        {"programs": [
          {"name": "python-hello", "language": "python", "source": "print('Hello, world!')",
           "expectedText": "Hello, world!\\n"},
          {"name": "python-wrong", "language": "python", "source": "print('Hello, world!')",
           "expectedText": "Goodbye, world!\\n"}]}""");
    Map<String, String> env =
        Map.of(
            "OTEL_EXPORTER_OTLP_ENDPOINT",
            otlp.endpoint(),
            "OTEL_EXPORTER_OTLP_PROTOCOL",
            "grpc",
            "OTEL_METRIC_EXPORT_INTERVAL",
            "500",
            "OTEL_BSP_SCHEDULE_DELAY",
            "200",
            "OTEL_BLRP_SCHEDULE_DELAY",
            "200");
    probe =
        PolyrunProcess.start(
            "probe",
            "dev.polyrun.loadtest.LoadtestCli",
            env,
            dir,
            "probe",
            "--addr",
            "127.0.0.1:" + grpcPort,
            "--interval",
            "1s",
            "--metrics-port",
            Integer.toString(probeMetricsPort),
            "--canaries",
            canaries.toString());
    closing.add(0, probe);
    probe.awaitLog("canaries every", Duration.ofSeconds(60));
  }

  /** Waits until the probe's scrape shows a passed and a failed run. */
  String awaitProbeRuns() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    String scraped = "";
    while (System.nanoTime() < deadline) {
      scraped = probeMetrics();
      if (scraped.contains("outcome=\"ok\"") && scraped.contains("outcome=\"wrong_output\"")) {
        return scraped;
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException(
        "the probe ran no passing and failing canary within 90 s:\n"
            + scraped
            + "\n--- probe\n"
            + probe.log());
  }

  /** A stub whose calls carry {@code traceparent}, as an instrumented client's calls do. */
  ExecutorServiceGrpc.ExecutorServiceBlockingStub stub(String traceparent) {
    Metadata headers = new Metadata();
    headers.put(Metadata.Key.of("traceparent", Metadata.ASCII_STRING_MARSHALLER), traceparent);
    return ExecutorServiceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(90, TimeUnit.SECONDS)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  static ExecuteRequest program(String language, String source) {
    return ExecuteRequest.newBuilder()
        .setLanguage(language)
        .addFiles(
            SourceFile.newBuilder().setContent(com.google.protobuf.ByteString.copyFromUtf8(source)))
        .build();
  }

  /** Runs the request to its end; returns every event. */
  List<JobEvent> execute(
      ExecutorServiceGrpc.ExecutorServiceBlockingStub stub, ExecuteRequest request) {
    List<JobEvent> events = new ArrayList<>();
    Iterator<JobEvent> it = stub.execute(request);
    while (it.hasNext()) {
      events.add(it.next());
    }
    return events;
  }

  /**
   * Waits until the languages are advertised (the worker's first heartbeat reached the
   * coordinator).
   */
  void awaitLanguages() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      try {
        if (stub("00-00000000000000000000000000000001-0000000000000001-00")
                .listLanguages(dev.polyrun.proto.v1.ListLanguagesRequest.getDefaultInstance())
                .getLanguagesCount()
            > 0) {
          return;
        }
      } catch (io.grpc.StatusRuntimeException e) {
        // not yet
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("the worker did not advertise its languages");
  }

  static String get(String url) throws IOException, InterruptedException {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          url + " answered " + response.statusCode() + ": " + response.body());
    }
    return response.body();
  }

  String coordinatorMetrics() throws IOException, InterruptedException {
    return get("http://127.0.0.1:" + coordinatorHttpPort + "/metrics");
  }

  String workerMetrics() throws IOException, InterruptedException {
    return get("http://127.0.0.1:" + workerMetricsPort + "/metrics");
  }

  String probeMetrics() throws IOException, InterruptedException {
    return get("http://127.0.0.1:" + probeMetricsPort + "/metrics");
  }

  String logs() throws IOException {
    return "--- coordinator\n"
        + coordinator.log()
        + "\n--- worker\n"
        + worker.log()
        + (probe == null ? "" : "\n--- probe\n" + probe.log());
  }

  @Override
  public void close() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    for (AutoCloseable c : closing) {
      c.close();
    }
    otlp.close();
    redis.close();
    // the processes are stopped: what is left is their logs, state folders and files
    try (var walk = java.nio.file.Files.walk(dir)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
