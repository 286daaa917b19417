package dev.polyrun.client.cli;

import dev.polyrun.client.ExecutionListener;
import dev.polyrun.proto.v1.Result;
import dev.polyrun.proto.v1.TestCaseResult;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The table of {@code polyrun run --tests}: one row per test case as its result arrives (verdict,
 * cpu and wall time, peak memory), then a summary line. The program's own output is not shown. Held
 * (stdout not a terminal), the rows are written at the end from the result alone, so a re-run after
 * a lost worker never shows a case twice; live, a re-run is announced on stderr and its rows
 * follow.
 */
final class JudgeOutput implements ExecutionListener {
  static final String FORMAT = "%-16s %-22s %9s %9s %11s%n";
  private final PrintWriter out;
  private final PrintWriter err;
  private final boolean hold;
  private final Set<String> shown = new LinkedHashSet<>();
  private volatile String jobId;
  private boolean header;

  JudgeOutput(PrintWriter out) {
    this(out, new PrintWriter(Writer.nullWriter()), false);
  }

  /** Rows written as they arrive, or all at the end when {@code hold}; notes go to {@code err}. */
  JudgeOutput(PrintWriter out, PrintWriter err, boolean hold) {
    this.out = out;
    this.err = err;
    this.hold = hold;
  }

  String jobId() {
    return jobId;
  }

  @Override
  public void onJobId(String jobId) {
    this.jobId = jobId;
  }

  @Override
  public void onTestCase(TestCaseResult result) {
    if (!hold) {
      row(result);
    }
  }

  @Override
  public void onAttemptAbandoned(int abandonedAttempt, int newAttempt, String reason) {
    shown.clear();
    err.println(
        "polyrun: the job's worker was lost; running it again (attempt "
            + newAttempt
            + ")"
            + (hold ? "" : ", the rows from here replace the above"));
    err.flush();
  }

  /** Prints the rows not streamed yet and the summary; returns whether the judge reported cases. */
  boolean finish(Result result, int expectedCases) {
    for (TestCaseResult c : result.getTestCasesList()) {
      if (!shown.contains(c.getName())) {
        row(c);
      }
    }
    if (result.getTestCasesCount() > 0) {
      out.printf("passed %d of %d test cases%n", result.getTestCasesPassed(), expectedCases);
    }
    out.flush();
    return result.getTestCasesCount() > 0;
  }

  private void row(TestCaseResult c) {
    if (!header) {
      out.printf(FORMAT, "CASE", "VERDICT", "CPU", "WALL", "MEMORY");
      header = true;
    }
    shown.add(c.getName());
    out.printf(
        FORMAT,
        c.getName(),
        Verdicts.name(c.getVerdict()),
        Figures.seconds(c.getStats().getCpuTimeMs()),
        Figures.seconds(c.getStats().getWallTimeMs()),
        Figures.bytes(c.getStats().getPeakMemoryBytes()));
    out.flush();
  }
}
