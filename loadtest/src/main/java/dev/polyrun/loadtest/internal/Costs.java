package dev.polyrun.loadtest.internal;

import dev.polyrun.loadtest.RunReport;
import java.util.ArrayList;
import java.util.List;

/**
 * Cost evidence from measured CPU per job: on an instance with V vCPUs planned to be busy at
 * utilisation U, a program that costs C ms of worker CPU per execution runs V * U * 3.6e6 / C times
 * an hour; its cost per million executions is the hourly price divided by that, times a million; a
 * given arrival rate needs rate * 3600 / (jobs per hour) such workers, rounded up. CPU is the
 * binding resource for short programs; memory and slots are not modelled here.
 */
public final class Costs {
  private Costs() {}

  /**
   * The cost table of each program with a known CPU per job, and of the whole mix (weighted by
   * runs) when there is more than one program.
   */
  public static RunReport.CostReport report(
      List<RunReport.ProgramStats> programs,
      InstancePrices prices,
      double utilization,
      double planRate,
      Double measuredPerWorker) {
    return report(programs, prices, utilization, planRate, measuredPerWorker, null, null);
  }

  /**
   * As {@link #report(List, InstancePrices, double, double, Double)}, with the whole mix's CPU per
   * job measured apart (from the workers' processes) for when the programs have none of their own.
   */
  public static RunReport.CostReport report(
      List<RunReport.ProgramStats> programs,
      InstancePrices prices,
      double utilization,
      double planRate,
      Double measuredPerWorker,
      Double mixCpuMs,
      String mixCpuSource) {
    if (!(utilization > 0 && utilization <= 1)) {
      throw new IllegalArgumentException(
          "utilization: " + utilization + " (expected: > 0 and <= 1)");
    }
    List<RunReport.CostRow> rows = new ArrayList<>();
    double cpuSum = 0;
    long runs = 0;
    String mixSource = null;
    for (RunReport.ProgramStats p : programs) {
      if (p.workerCpuMs() == null || !(p.workerCpuMs() > 0)) {
        continue;
      }
      long ok = p.count() - p.errors();
      cpuSum += p.workerCpuMs() * ok;
      runs += ok;
      mixSource = p.workerCpuSource();
      rows.addAll(
          rows(p.name(), p.workerCpuMs(), p.workerCpuSource(), prices, utilization, planRate));
    }
    long withCpu =
        programs.stream().filter(p -> p.workerCpuMs() != null && p.workerCpuMs() > 0).count();
    if (withCpu > 1 && runs > 0) {
      rows.addAll(rows("mix", cpuSum / runs, mixSource, prices, utilization, planRate));
    } else if (withCpu == 0 && mixCpuMs != null && mixCpuMs > 0) {
      rows.addAll(rows("mix", mixCpuMs, mixCpuSource, prices, utilization, planRate));
    }
    return new RunReport.CostReport(prices.note(), utilization, planRate, measuredPerWorker, rows);
  }

  static List<RunReport.CostRow> rows(
      String program,
      double cpuMs,
      String source,
      InstancePrices prices,
      double utilization,
      double planRate) {
    List<RunReport.CostRow> rows = new ArrayList<>();
    for (InstancePrices.Instance i : prices.instances()) {
      double jobsPerHour = i.vcpus() * utilization * 3_600_000.0 / cpuMs;
      double perMillion = i.usdPerHour() / jobsPerHour * 1e6;
      long workers = (long) Math.ceil(planRate * 3600 / jobsPerHour);
      rows.add(
          new RunReport.CostRow(
              program,
              cpuMs,
              source,
              i.name(),
              i.vcpus(),
              i.usdPerHour(),
              jobsPerHour,
              perMillion,
              workers));
    }
    return rows;
  }
}
