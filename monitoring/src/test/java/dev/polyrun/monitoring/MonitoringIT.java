package dev.polyrun.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.polyrun.proto.v1.GetJobRequest;
import dev.polyrun.proto.v1.Job;
import dev.polyrun.proto.v1.JobEvent;
import dev.polyrun.proto.v1.Verdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real processes with their telemetry on: a call's trace crosses the coordinator and the worker
 * (and a canary run's trace starts in the probe), metrics arrive by OTLP, and every metric a
 * dashboard or an alert uses, with the labels it uses, is scraped from them and from the synthetic
 * probe.
 */
class MonitoringIT {
  private static final String CALLER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String CALLER = "00-" + CALLER_TRACE + "-00f067aa0ba902b7-01";
  private static MonitoredCluster cluster;
  private static String jobId;

  @BeforeAll
  static void runJobs() throws Exception {
    cluster = new MonitoredCluster();
    cluster.awaitLanguages();
    List<JobEvent> events =
        cluster.execute(cluster.stub(CALLER), MonitoredCluster.program("python", "print('hello')"));
    JobEvent last = events.get(events.size() - 1);
    assertThat(last.getResult().getVerdict()).as(cluster.logs()).isEqualTo(Verdict.VERDICT_OK);
    jobId = events.get(0).getJobId();
    // more outcomes, each in a trace of its own, so that their series exist for the scrape
    cluster.execute(
        cluster.stub(other(1)), MonitoredCluster.program("python", "import sys; sys.exit(3)"));
    cluster.execute(cluster.stub(other(2)), MonitoredCluster.program("c", "int main( {"));
    try {
      cluster.execute(cluster.stub(other(3)), MonitoredCluster.program("intercal", "x"));
    } catch (io.grpc.StatusRuntimeException expected) {
      // refused: counted as invalid_argument
    }
    cluster.startProbe();
  }

  private static String other(int n) {
    return "00-" + String.format("%032x", n) + "-" + String.format("%016x", n) + "-01";
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void oneExecuteYieldsOneTraceWhoseSpansCrossBothProcessesWithTheJobId() throws Exception {
    awaitTrue(
        () ->
            services(CALLER_TRACE).containsAll(Set.of("polyrun-coordinator", "polyrun-worker"))
                && names(CALLER_TRACE).containsAll(Set.of("polyrun.result", "polyrun.stage run")),
        "both processes' spans");

    List<OtlpReceiver.ReceivedSpan> trace =
        cluster.otlp.spans.stream()
            .filter(s -> s.traceId().equals(CALLER_TRACE))
            .filter(s -> s.attribute("polyrun.job.id").map(jobId::equals).orElse(true))
            .toList();
    assertThat(trace)
        .as("spans of the caller's trace")
        .extracting(OtlpReceiver.ReceivedSpan::name)
        .contains(
            "polyrun.v1.ExecutorService/Execute",
            "polyrun.submit",
            "polyrun.claim",
            "polyrun.job",
            "polyrun.stage run",
            "polyrun.sandbox.set_up",
            "polyrun.program",
            "polyrun.sandbox.clean_up",
            "polyrun.result");
    OtlpReceiver.ReceivedSpan server = only(trace, "polyrun.v1.ExecutorService/Execute");
    OtlpReceiver.ReceivedSpan submit = only(trace, "polyrun.submit");
    OtlpReceiver.ReceivedSpan job = only(trace, "polyrun.job");
    assertThat(server.service()).isEqualTo("polyrun-coordinator");
    assertThat(server.parentSpanId())
        .as("the caller's span is the parent")
        .isEqualTo("00f067aa0ba902b7");
    assertThat(server.attribute("polyrun.job.id")).contains(jobId);
    assertThat(submit.parentSpanId()).isEqualTo(server.spanId());
    assertThat(job.service()).isEqualTo("polyrun-worker");
    assertThat(job.parentSpanId())
        .as("the worker continues the submission's span")
        .isEqualTo(submit.spanId());
    assertThat(job.attribute("polyrun.job.id")).contains(jobId);
    assertThat(only(trace, "polyrun.stage run").parentSpanId()).isEqualTo(job.spanId());

    Job record = cluster.stub(CALLER).getJob(GetJobRequest.newBuilder().setJobId(jobId).build());
    assertThat(record.getTraceId()).isEqualTo(CALLER_TRACE);
  }

  @Test
  void aCanaryRunOfTheProbeIsOneTraceWithTheClustersSpansOfItsJob() throws Exception {
    awaitTrue(
        () ->
            cluster.otlp.spans.stream()
                .anyMatch(
                    s ->
                        s.name().equals("polyrun.probe.canary")
                            && s.attribute("polyrun.probe.canary")
                                .equals(java.util.Optional.of("python-hello"))
                            && services(s.traceId())
                                .containsAll(
                                    Set.of(
                                        "polyrun-probe", "polyrun-coordinator", "polyrun-worker"))
                            && names(s.traceId()).contains("polyrun.result")),
        "a canary's trace across the probe and the cluster");

    OtlpReceiver.ReceivedSpan canary =
        cluster.otlp.spans.stream()
            .filter(
                s ->
                    s.name().equals("polyrun.probe.canary")
                        && s.attribute("polyrun.probe.canary")
                            .equals(java.util.Optional.of("python-hello"))
                        && services(s.traceId()).contains("polyrun-worker"))
            .findFirst()
            .orElseThrow();
    List<OtlpReceiver.ReceivedSpan> trace =
        cluster.otlp.spans.stream().filter(s -> s.traceId().equals(canary.traceId())).toList();
    assertThat(canary.service()).isEqualTo("polyrun-probe");
    assertThat(canary.attribute("polyrun.probe.outcome")).contains("ok");
    String canaryJob = canary.attribute("polyrun.job.id").orElseThrow();
    OtlpReceiver.ReceivedSpan client =
        trace.stream()
            .filter(
                s ->
                    s.service().equals("polyrun-probe")
                        && s.name().equals("polyrun.v1.ExecutorService/Execute"))
            .findFirst()
            .orElseThrow();
    OtlpReceiver.ReceivedSpan server =
        trace.stream()
            .filter(
                s ->
                    s.service().equals("polyrun-coordinator")
                        && s.name().equals("polyrun.v1.ExecutorService/Execute"))
            .findFirst()
            .orElseThrow();
    assertThat(client.parentSpanId())
        .as("the call is made in the canary's span")
        .isEqualTo(canary.spanId());
    assertThat(server.parentSpanId())
        .as("the coordinator continues the probe's traceparent")
        .isEqualTo(client.spanId());
    assertThat(only(trace, "polyrun.job").attribute("polyrun.job.id")).contains(canaryJob);
  }

  @Test
  void metricsAndLogsArriveByOtlpFromEveryProcess() throws Exception {
    awaitTrue(
        () ->
            metricNames("polyrun-coordinator")
                    .containsAll(Set.of("rpc.server.duration", "polyrun.submissions"))
                && metricNames("polyrun-worker")
                    .containsAll(
                        Set.of(
                            "polyrun.worker.jobs",
                            "polyrun.worker.stage.duration",
                            "polyrun.sandbox.phase.duration",
                            "jvm.memory.used"))
                && metricNames("polyrun-probe")
                    .containsAll(
                        Set.of(
                            "polyrun.probe.runs",
                            "polyrun.probe.latency",
                            "polyrun.probe.last_success_timestamp",
                            "jvm.memory.used")),
        "metrics of the three processes");
    awaitTrue(
        () ->
            cluster.otlp.logs.stream()
                .anyMatch(
                    l -> l.service().equals("polyrun-worker") && l.body().contains("started with")),
        "the worker's log lines");
  }

  @Test
  void logLinesCarryTheirTimestampProcessJobAndTraceIds() throws Exception {
    awaitTrue(
        () -> {
          try {
            return cluster
                .logs()
                .lines()
                .anyMatch(
                    l -> l.contains("job_id=" + jobId) && l.contains("trace_id=" + CALLER_TRACE));
          } catch (java.io.IOException e) {
            return false;
          }
        },
        "a log line about the job with its trace id");
    String line =
        cluster.logs().lines().filter(l -> l.contains("job_id=" + jobId)).findFirst().orElseThrow();
    assertThat(line)
        .matches(
            "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z (INFO |WARN |ERROR|DEBUG) polyrun-\\w+ .*");
  }

  @Test
  void everyMetricThatADashboardOrAnAlertUsesIsExported() throws Exception {
    Path monitoring = Path.of(System.getProperty("polyrun.monitoring.dir", "."));
    List<MetricReferences.Query> queries = MetricReferences.queries(monitoring);
    Set<String> used = MetricReferences.inMonitoring(monitoring);
    String scraped =
        cluster.coordinatorMetrics()
            + "\n"
            + cluster.workerMetrics()
            + "\n"
            + cluster.awaitProbeRuns();
    Set<String> exported = MetricReferences.exported(scraped);
    Files.writeString(Path.of("target", "scrape.txt"), scraped);

    Set<String> missing =
        used.stream()
            .filter(name -> !exported.contains(name))
            .filter(name -> !MetricReferences.declaredForEvent(name, monitoring.getParent()))
            .collect(Collectors.toCollection(java.util.TreeSet::new));
    assertThat(used)
        .as("metric names found in the dashboards and rules")
        .hasSizeGreaterThan(20)
        .contains("polyrun_probe_runs_total", "polyrun_probe_last_success_timestamp_seconds");
    assertThat(missing)
        .as(
            "metrics used by a dashboard or an alert that no process exports\n(exported: "
                + exported
                + ")")
        .isEmpty();
    Set<String> wrongLabels =
        LabelUses.unexported(
            queries.stream().flatMap(q -> LabelUses.in(q).stream()).toList(),
            MetricReferences.exportedLabels(scraped));
    assertThat(wrongLabels)
        .as("labels a dashboard or an alert uses that the metric's series do not carry")
        .isEmpty();
  }

  private static OtlpReceiver.ReceivedSpan only(
      List<OtlpReceiver.ReceivedSpan> spans, String name) {
    List<OtlpReceiver.ReceivedSpan> named =
        spans.stream().filter(s -> s.name().equals(name)).toList();
    assertThat(named).as("spans named " + name).hasSize(1);
    return named.get(0);
  }

  private static Set<String> services(String traceId) {
    return cluster.otlp.spans.stream()
        .filter(s -> s.traceId().equals(traceId))
        .map(OtlpReceiver.ReceivedSpan::service)
        .collect(Collectors.toSet());
  }

  private static Set<String> names(String traceId) {
    return cluster.otlp.spans.stream()
        .filter(s -> s.traceId().equals(traceId))
        .map(OtlpReceiver.ReceivedSpan::name)
        .collect(Collectors.toSet());
  }

  private static Set<String> metricNames(String service) {
    return cluster.otlp.metrics.stream()
        .filter(m -> m.service().equals(service))
        .map(OtlpReceiver.ReceivedMetric::name)
        .collect(Collectors.toSet());
  }

  private static void awaitTrue(BooleanSupplier condition, String what) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "no "
                + what
                + " within 30 s; received spans "
                + cluster.otlp.spans.stream()
                    .map(s -> s.service() + ":" + s.name() + ":" + s.traceId())
                    .toList()
                + "\n"
                + cluster.logs());
      }
      Thread.sleep(100);
    }
  }
}
