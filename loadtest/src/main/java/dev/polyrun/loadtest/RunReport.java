package dev.polyrun.loadtest;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The record of one harness run, written as JSON beside its HTML report and read back by {@code
 * compare}. Durations are milliseconds, times in a run are seconds from its start, rates are per
 * second. Absent figures are null (never NaN).
 *
 * @param scenario e.g. {@code latency}, {@code soak}
 * @param startedAt ISO-8601 instant the run started
 * @param durationSeconds how long the run took
 * @param target the service address
 * @param parameters the scenario's options, as given
 * @param host the machine the harness ran on, with its load average before and after
 * @param summary the run's headline figures; {@code compare} compares these
 * @param programs per-program latency, errors, phases and bare baselines
 * @param series per-second sends, completions, errors and latency percentiles
 * @param errors failures by code (a gRPC status, {@code WRONG_RESULT}, ...)
 * @param errorExamples one message per code
 * @param samples resource samples of the cluster's processes and host (soak)
 * @param slopes growth per minute of each sampled resource after warm-up (soak)
 * @param faults the faults injected and their effect (failover)
 * @param invariants accepted, lost and duplicated jobs (failover)
 * @param steps the rates tried and what each gave (limit)
 * @param cost cost per million executions and workers needed
 * @param notes what a reader must know to read the figures
 * @param passed whether every check of the scenario held
 * @param failures the checks that did not hold
 */
public record RunReport(
    String scenario,
    String startedAt,
    double durationSeconds,
    String target,
    Map<String, Object> parameters,
    Host host,
    List<Metric> summary,
    List<ProgramStats> programs,
    List<SeriesPoint> series,
    Map<String, Long> errors,
    Map<String, String> errorExamples,
    List<ResourceSample> samples,
    List<SlopeResult> slopes,
    List<FaultRecord> faults,
    Invariants invariants,
    List<StepResult> steps,
    CostReport cost,
    List<String> notes,
    boolean passed,
    List<String> failures) {

  /** The machine of the run. {@code load*} are the 1-minute load averages. */
  public record Host(
      String hostname,
      int cores,
      String kernel,
      long memoryMb,
      double loadBefore,
      double loadAfter) {}

  /**
   * A headline figure.
   *
   * @param better {@code lower}, {@code higher}, or {@code none} when a change is not a regression
   */
  public record Metric(String name, double value, String unit, String better) {}

  /**
   * One program's figures.
   *
   * @param baselines bare runs of the same program: {@code image run}, {@code image compile+run},
   *     {@code host run}, {@code host compile+run}
   * @param baseline the baseline the ratio and difference compare with
   * @param ratio polyrun p50 / baseline p50
   * @param differenceMs polyrun p50 - baseline p50
   * @param phases milliseconds after sending, by phase
   * @param workerCpuMs mean CPU per job on the worker: the results' worker_cpu_ms, else measured
   * @param workerCpuSource where workerCpuMs comes from
   */
  public record ProgramStats(
      String name,
      String language,
      long count,
      long errors,
      double jobsPerSecond,
      Latency latency,
      Map<String, Latency> baselines,
      String baseline,
      Double ratio,
      Double differenceMs,
      Map<String, Latency> phases,
      Map<String, Long> verdicts,
      Double workerCpuMs,
      String workerCpuSource) {}

  /** One second of a run, by intended send time for latency and by end time for completions. */
  public record SeriesPoint(
      double t,
      long sent,
      long completed,
      long errors,
      Double p50,
      Double p90,
      Double p99,
      Double max) {}

  /** Resource values at {@code t} seconds. */
  public record ResourceSample(double t, Map<String, Double> values) {}

  /** A sampled resource's growth: least-squares slope per minute after the warm-up. */
  public record SlopeResult(
      String metric,
      double slopePerMinute,
      double threshold,
      Double first,
      Double last,
      boolean ok) {}

  /**
   * A fault and its effect.
   *
   * @param at seconds from the start when it was injected
   * @param recoveredAt when the process answered again (null if it did not)
   * @param before latency of the requests sent in the quiet period before
   * @param during latency of the requests sent from the fault until 10 s after recovery
   */
  public record FaultRecord(
      String kind,
      String target,
      double at,
      Double recoveredAt,
      Latency before,
      Latency during,
      long errorsDuring,
      String detail) {}

  /**
   * What happened to every accepted job once the load ended and the cluster settled.
   *
   * @param lost accepted jobs with no final result (not found, or not final in time)
   * @param duplicateResults jobs whose event stream holds more than one final result
   * @param reruns jobs finished by a later delivery attempt (allowed: a fault's cost)
   */
  public record Invariants(
      long accepted,
      long lost,
      long duplicateResults,
      long reruns,
      List<String> lostIds,
      List<String> duplicateIds) {}

  /** One step of a limit test: the rate asked, the rate completed, the latency, the errors. */
  public record StepResult(
      double rate, double completedPerSecond, Latency latency, long errors, boolean ok) {}

  /**
   * Cost evidence.
   *
   * @param pricesNote where the prices come from and their date
   * @param targetUtilization the share of a worker's CPU planned to be busy
   * @param planRate the arrival rate (per second) the worker counts are for
   * @param measuredJobsPerSecondPerWorker throughput per worker process measured in this run
   */
  public record CostReport(
      String pricesNote,
      double targetUtilization,
      double planRate,
      Double measuredJobsPerSecondPerWorker,
      List<CostRow> rows) {}

  /** What one program costs on one instance type. */
  public record CostRow(
      String program,
      double cpuMsPerJob,
      String cpuSource,
      String instance,
      int vcpus,
      double usdPerHour,
      double jobsPerHour,
      double usdPerMillion,
      long workersForPlanRate) {}

  /** A report under construction; not thread-safe. */
  public static final class Builder {
    public String scenario;
    public String startedAt;
    public double durationSeconds;
    public String target;
    public final Map<String, Object> parameters = new LinkedHashMap<>();
    public Host host;
    public final List<Metric> summary = new ArrayList<>();
    public final List<ProgramStats> programs = new ArrayList<>();
    public List<SeriesPoint> series = new ArrayList<>();
    public final Map<String, Long> errors = new LinkedHashMap<>();
    public final Map<String, String> errorExamples = new LinkedHashMap<>();
    public List<ResourceSample> samples = new ArrayList<>();
    public List<SlopeResult> slopes = new ArrayList<>();
    public final List<FaultRecord> faults = new ArrayList<>();
    public Invariants invariants;
    public final List<StepResult> steps = new ArrayList<>();
    public CostReport cost;
    public final List<String> notes = new ArrayList<>();
    public final List<String> failures = new ArrayList<>();

    public Builder(String scenario) {
      this.scenario = scenario;
    }

    /** Adds a headline figure. */
    public Builder metric(String name, double value, String unit, String better) {
      if (!Double.isNaN(value)) {
        summary.add(new Metric(name, value, unit, better));
      }
      return this;
    }

    public RunReport build() {
      return new RunReport(
          scenario,
          startedAt,
          durationSeconds,
          target,
          ordered(parameters),
          host,
          List.copyOf(summary),
          List.copyOf(programs),
          List.copyOf(series),
          ordered(errors),
          ordered(errorExamples),
          List.copyOf(samples),
          List.copyOf(slopes),
          List.copyOf(faults),
          invariants,
          List.copyOf(steps),
          cost,
          List.copyOf(notes),
          failures.isEmpty(),
          List.copyOf(failures));
    }

    private static <V> Map<String, V> ordered(Map<String, V> map) {
      return Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }
  }
}
