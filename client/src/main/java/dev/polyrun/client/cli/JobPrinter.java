package dev.polyrun.client.cli;

import dev.polyrun.proto.v1.Job;
import dev.polyrun.proto.v1.Limits;
import dev.polyrun.proto.v1.Result;
import dev.polyrun.proto.v1.StageStats;
import dev.polyrun.proto.v1.TestCaseResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Formats a job for people: one {@code label value} line per fact. */
final class JobPrinter {
  private static final String FORMAT = "%-16s%s%n";

  private JobPrinter() {}

  /** The job's lines, ending with a newline; compile output is left to the caller (raw bytes). */
  static String describe(Job job) {
    StringBuilder text = new StringBuilder();
    line(text, "job", job.getJobId());
    String attempt = job.getAttempt() > 0 ? " (attempt " + job.getAttempt() + ")" : "";
    line(text, "state", job.getState().name().replaceFirst("^JOB_STATE_", "") + attempt);
    line(text, "language", job.getLanguage());
    if (job.getCreatedAtMs() > 0) {
      line(text, "created", Instant.ofEpochMilli(job.getCreatedAtMs()).toString());
    }
    if (job.hasResult()) {
      describeResult(text, job.getResult());
    }
    return text.toString();
  }

  private static void describeResult(StringBuilder text, Result result) {
    line(text, "verdict", Verdicts.describe(result));
    stage(text, "compile", result.hasCompile() ? result.getCompile() : null);
    stage(text, "run", result.hasRun() ? result.getRun() : null);
    if (result.getTestCasesCount() > 0) {
      line(
          text,
          "tests",
          result.getTestCasesPassed() + " of " + result.getTestCasesCount() + " passed");
      for (TestCaseResult testCase : result.getTestCasesList()) {
        line(
            text,
            "  " + testCase.getName(),
            Verdicts.name(testCase.getVerdict()) + " (" + Figures.usage(testCase.getStats()) + ")");
      }
    }
  }

  private static void stage(StringBuilder text, String name, StageStats stage) {
    if (stage == null) {
      return;
    }
    line(text, name, Figures.usage(stage));
    String limits = limits(stage.getLimits());
    if (!limits.isEmpty()) {
      line(text, name + " limits", limits);
    }
  }

  /** The limits that are set: {@code "cpu 2.00 s, wall 5.00 s, memory 256.0 MiB, ..."}. */
  static String limits(Limits limits) {
    List<String> parts = new ArrayList<>();
    if (limits.getCpuTimeMs() > 0) {
      parts.add("cpu " + Figures.seconds(limits.getCpuTimeMs()));
    }
    if (limits.getWallTimeMs() > 0) {
      parts.add("wall " + Figures.seconds(limits.getWallTimeMs()));
    }
    if (limits.getMemoryBytes() > 0) {
      parts.add("memory " + Figures.bytes(limits.getMemoryBytes()));
    }
    if (limits.getMaxProcesses() > 0) {
      parts.add("processes " + limits.getMaxProcesses());
    }
    if (limits.getOutputBytes() > 0) {
      parts.add("output " + Figures.bytes(limits.getOutputBytes()));
    }
    if (limits.getFileSizeBytes() > 0) {
      parts.add("file size " + Figures.bytes(limits.getFileSizeBytes()));
    }
    return String.join(", ", parts);
  }

  private static void line(StringBuilder text, String label, String value) {
    text.append(String.format(FORMAT, label, value));
  }
}
