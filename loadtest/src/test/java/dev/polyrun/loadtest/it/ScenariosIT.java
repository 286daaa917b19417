package dev.polyrun.loadtest.it;

import static dev.polyrun.loadtest.it.Harness.metric;
import static org.assertj.core.api.Assertions.assertThat;

import dev.polyrun.loadtest.RunReport;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A CI-sized run of each scenario against a real local cluster: the reports have their shape. */
@ExtendWith(LocalClusterExtension.class)
class ScenariosIT {
  private static LocalClusterExtension.Cluster cluster;

  @BeforeAll
  static void cluster(LocalClusterExtension.Cluster started) {
    cluster = started;
  }

  @Test
  void latencyStandsBesideItsBareBaselinesWithPhases(@TempDir Path out) throws Exception {
    Harness.Run run =
        Harness.run(
            cluster,
            out,
            "latency",
            "--lang",
            "python,c",
            "--runs",
            "3",
            "--warmup-runs",
            "1",
            "--bare-compile-runs",
            "2");

    RunReport r = run.report();
    assertThat(run.exitCode()).as(r.failures().toString()).isZero();
    assertThat(r.programs())
        .extracting(RunReport.ProgramStats::name)
        .containsExactly("python-hello", "c-hello");
    RunReport.ProgramStats python = r.programs().get(0);
    assertThat(python.count()).isEqualTo(3);
    assertThat(python.errors()).isZero();
    assertThat(python.baselines()).containsKeys("image run", "host run");
    assertThat(python.baseline()).isEqualTo("image run");
    assertThat(python.ratio()).isPositive();
    assertThat(python.phases()).containsKeys("first event", "first output", "result");
    assertThat(r.programs().get(1).baselines()).containsKeys("image run", "image compile+run");
    assertThat(r.programs().get(1).baseline()).isEqualTo("image compile+run");
    assertThat(metric(r, "python-hello p50")).isPositive();
    assertThat(r.cost()).isNotNull();
    assertThat(r.cost().rows()).isNotEmpty();
    assertThat(Files.readString(run.html()))
        .contains("<svg", "Phases of python-hello", "bare image run");
  }

  @Test
  void throughputHasItsBareCeilingAndRatio(@TempDir Path out) throws Exception {
    Harness.Run run =
        Harness.run(
            cluster,
            out,
            "throughput",
            "--lang",
            "python",
            "-c",
            "2",
            "-d",
            "4s",
            "--warmup",
            "1s");

    RunReport r = run.report();
    assertThat(run.exitCode()).as(r.failures().toString()).isZero();
    assertThat(metric(r, "jobs/s")).isPositive();
    assertThat(metric(r, "bare image jobs/s")).isPositive();
    assertThat(metric(r, "throughput ratio to bare image")).isPositive();
    assertThat(r.series()).isNotEmpty();
    assertThat(r.cost().measuredJobsPerSecondPerWorker()).isPositive();
  }

  @Test
  void anOpenLoopMixRecordsEachProgramAndTheSeries(@TempDir Path out) throws Exception {
    Harness.Run run =
        Harness.run(
            cluster,
            out,
            "open",
            "--rate",
            "2",
            "-d",
            "5s",
            "--profile",
            LocalClusterExtension.ROOT.resolve("loadtest/profiles/python-c.json").toString());

    RunReport r = run.report();
    assertThat(run.exitCode()).as(r.failures().toString()).isZero();
    assertThat(r.programs())
        .extracting(RunReport.ProgramStats::name)
        .containsExactly("python-hello", "c-hello");
    assertThat(r.programs().stream().mapToLong(RunReport.ProgramStats::count).sum()).isEqualTo(10);
    assertThat(r.series()).isNotEmpty();
    assertThat(r.series().stream().mapToLong(RunReport.SeriesPoint::sent).sum()).isEqualTo(10);
    assertThat(metric(r, "offered")).isEqualTo(2.0);
  }

  @Test
  void aLimitTestStepsUpTheRateAndNamesTheKnee(@TempDir Path out) throws Exception {
    Harness.Run run =
        Harness.run(
            cluster,
            out,
            "limit",
            "--lang",
            "python",
            "--start-rate",
            "1",
            "--step",
            "1",
            "--max-rate",
            "2",
            "--step-duration",
            "3s",
            "--p99-target",
            "60s");

    RunReport r = run.report();
    assertThat(r.steps()).isNotEmpty();
    assertThat(r.steps().get(0).rate()).isEqualTo(1.0);
    assertThat(r.steps()).allSatisfy(s -> assertThat(s.latency().count()).isPositive());
    assertThat(r.summary()).extracting(RunReport.Metric::name).contains("knee");
  }

  @Test
  void submitAtSaturationCountsAcceptedCalls(@TempDir Path out) throws Exception {
    Harness.Run run = Harness.run(cluster, out, "submit", "-c", "8", "-d", "2s", "--channels", "2");

    RunReport r = run.report();
    assertThat(run.exitCode()).isZero();
    assertThat(metric(r, "accepted submissions")).isPositive();
    assertThat(r.programs().get(0).latency().p50()).isPositive();
    assertThat(r.notes()).anyMatch(n -> n.contains("cancelled as they came"));
  }

  @Test
  void heldStreamsAllGetTheirResult(@TempDir Path out) throws Exception {
    Harness.Run run =
        Harness.run(cluster, out, "streams", "-n", "150", "--jobs", "2", "--hold", "3s");

    RunReport r = run.report();
    assertThat(run.exitCode()).as(r.failures().toString()).isZero();
    assertThat(metric(r, "streams that got their result")).isEqualTo(150);
    assertThat(metric(r, "channels")).isGreaterThanOrEqualTo(2);
    assertThat(metric(r, "redis connections of others while held")).isPositive();
  }

  @Test
  void aSoakSamplesEveryProcessAndTheHost(@TempDir Path out) throws Exception {
    Harness.Run run =
        Harness.run(
            cluster,
            out,
            "soak",
            "--lang",
            "python",
            "--rate",
            "2",
            "-d",
            "16s",
            "--warmup",
            "4s",
            "--sample-every",
            "2s");

    RunReport r = run.report();
    assertThat(r.samples()).hasSizeGreaterThanOrEqualTo(6);
    assertThat(r.samples().get(r.samples().size() - 1).values())
        .containsKeys(
            "coordinator.rss_mb",
            "coordinator.threads",
            "worker-1.fds",
            "worker-2.rss_mb",
            "redis.keys",
            "redis.used_memory_mb",
            "host.runc_containers",
            "host.polyrun_cgroups",
            "host.polyrun_mounts",
            "host.work_dirs");
    assertThat(r.slopes())
        .extracting(RunReport.SlopeResult::metric)
        .contains("worker-1.fds", "redis.keys");
    assertThat(run.exitCode()).isEqualTo(r.passed() ? 0 : 1);
  }
}
