package dev.polyrun.loadtest.cli;

import dev.polyrun.loadtest.ClusterDescription;
import dev.polyrun.loadtest.RunReport;
import dev.polyrun.loadtest.internal.Aggregate;
import dev.polyrun.loadtest.internal.Costs;
import dev.polyrun.loadtest.internal.HostInfo;
import dev.polyrun.loadtest.internal.InstancePrices;
import dev.polyrun.loadtest.internal.Outcome;
import dev.polyrun.loadtest.internal.ReportFiles;
import dev.polyrun.loadtest.internal.Samples;
import dev.polyrun.loadtest.internal.TextReport;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Spec;

/**
 * What every scenario shares: the connection and report options, the run's record (host, load
 * average before and after, parameters), writing the JSON and HTML reports and printing the
 * summary. Exit code 0 when every check of the scenario held, 1 when one did not.
 */
abstract class ScenarioCommand implements Callable<Integer> {
  @Mixin ConnectionOptions connection;
  @Mixin ReportOptions reportOptions;
  @Spec CommandSpec spec;

  /** Runs the scenario, filling the report. */
  abstract void run(RunReport.Builder report) throws Exception;

  @Override
  public Integer call() throws Exception {
    RunReport.Builder report = new RunReport.Builder(spec.name());
    report.startedAt = Instant.now().toString();
    report.target = connection.target();
    for (OptionSpec option : spec.options()) {
      String name = option.longestName();
      if (!name.equals("--api-key") && !option.usageHelp() && !option.versionHelp()) {
        Object value = option.getValue();
        report.parameters.put(
            name.replaceFirst("^--", ""), value == null ? null : String.valueOf(value));
      }
    }
    double load = HostInfo.load();
    long start = System.nanoTime();
    run(report);
    report.durationSeconds = (System.nanoTime() - start) / 1e9;
    report.host = HostInfo.describe(load);
    if (report.host.loadBefore() > report.host.cores() * 0.5) {
      report.notes.add(
          String.format(
              java.util.Locale.ROOT,
              "the host was busy before the run (load average %.1f on %d cores): figures were taken under other load",
              report.host.loadBefore(),
              report.host.cores()));
    }
    RunReport built = report.build();
    ReportFiles.Written files = ReportFiles.write(built, reportOptions.out);
    TextReport.print(built, System.out);
    System.out.println("report: " + files.html());
    System.out.println("record: " + files.json());
    return built.passed() ? 0 : 1;
  }

  Samples samples() {
    return Samples.fromSystem();
  }

  Optional<ClusterDescription> cluster() {
    return connection.cluster();
  }

  /** Adds the errors of {@code outcomes} to the report. */
  static void errors(RunReport.Builder report, List<Outcome> outcomes) {
    Aggregate.errors(outcomes, report.errors, report.errorExamples);
  }

  /** Adds the cost table when the programs have a CPU per job and the prices file is readable. */
  void cost(RunReport.Builder report, Double measuredPerWorker) {
    cost(report, measuredPerWorker, null);
  }

  /**
   * As {@link #cost(RunReport.Builder, Double)}, with the mix's CPU per job from the worker
   * processes.
   */
  void cost(RunReport.Builder report, Double measuredPerWorker, Double mixCpuMs) {
    try {
      InstancePrices prices = InstancePrices.read(reportOptions.prices);
      report.cost =
          Costs.report(
              report.programs,
              prices,
              reportOptions.utilization,
              reportOptions.planRate,
              measuredPerWorker,
              mixCpuMs,
              "worker processes' CPU (/proc) per job of the mix");
      if (report.cost.rows().isEmpty()) {
        report.notes.add(
            "no cost table: no CPU per job (results carry no worker_cpu_ms and the workers' /proc was not readable)");
      }
    } catch (IllegalArgumentException e) {
      report.notes.add("no cost table: " + e.getMessage());
    }
  }

  /** The worker count of the cluster description, or null without one. */
  Integer workers() {
    return cluster().map(c -> c.workers().size()).filter(n -> n > 0).orElse(null);
  }
}
