package dev.polyrun.loadtest.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.polyrun.loadtest.RunReport;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The failure drills against the real local cluster: a worker killed and restarted, one paused past
 * its lease, Redis restarted and the coordinator killed and restarted while an open loop runs;
 * every accepted job ends with exactly one final result.
 */
@ExtendWith(LocalClusterExtension.class)
class FailoverIT {
  private static LocalClusterExtension.Cluster cluster;

  @BeforeAll
  static void cluster(LocalClusterExtension.Cluster started) {
    cluster = started;
  }

  @Test
  void noAcceptedJobIsLostOrFinishedTwiceThroughEveryFault(@TempDir Path out) throws Exception {
    Harness.Run run =
        Harness.run(
            cluster,
            out,
            "failover",
            "--lang",
            "python",
            "--rate",
            "2",
            "--quiet",
            "3s",
            "--fault-every",
            "8s",
            "--pause",
            "5s",
            "--settle",
            "120s",
            "--drain",
            "90s");

    RunReport r = run.report();
    assertThat(r.faults())
        .extracting(RunReport.FaultRecord::kind)
        .containsExactly("kill-worker", "pause-worker", "restart-redis", "kill-coordinator");
    assertThat(r.faults()).allSatisfy(f -> assertThat(f.recoveredAt()).as(f.detail()).isNotNull());
    assertThat(r.invariants().accepted()).isPositive();
    assertThat(r.invariants().lost()).as("lost: %s", r.invariants().lostIds()).isZero();
    assertThat(r.invariants().duplicateResults())
        .as("duplicates: %s", r.invariants().duplicateIds())
        .isZero();
    assertThat(run.exitCode()).as(r.failures().toString()).isZero();
    assertThat(Files.readString(run.html()))
        .contains("kill-coordinator coordinator", "more than one final result");
  }
}
