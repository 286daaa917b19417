package dev.polyrun.loadtest.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.polyrun.loadtest.ClusterDescription;
import dev.polyrun.loadtest.RunReport;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Soak and failover fail when they should. The load goes to the real cluster; only the cluster
 * description is fake: one names a process that leaks a descriptor every 50 ms, the other a
 * "coordinator" (a sleep) whose restart deletes the records of finished jobs.
 */
@ExtendWith(LocalClusterExtension.class)
class FailingSetupsIT {
  private static LocalClusterExtension.Cluster cluster;
  private Process fake;

  @BeforeAll
  static void cluster(LocalClusterExtension.Cluster started) {
    cluster = started;
  }

  @AfterEach
  void stopFake() throws Exception {
    if (fake != null) {
      fake.destroyForcibly().waitFor();
    }
  }

  @Test
  void soakFailsOnAProcessThatLeaksDescriptors(@TempDir Path dir) throws Exception {
    fake =
        new ProcessBuilder(
                "python3",
                "-c",
                "import time\nleak = []\nwhile True:\n    leak.append(open('/dev/null'))\n    time.sleep(0.05)\n")
            .start();
    Path description = describe(dir, "leaker", "leaker", "[]");

    Harness.Run run =
        Harness.run(
            cluster,
            dir.resolve("out"),
            "soak",
            "--cluster",
            description.toString(),
            "--lang",
            "python",
            "--rate",
            "1",
            "-d",
            "12s",
            "--warmup",
            "2s",
            "--sample-every",
            "1s",
            "--max-slope",
            "redis.*=1000000");

    RunReport r = run.report();
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(r.slopes())
        .filteredOn(s -> s.metric().equals("leaker.fds"))
        .singleElement()
        .satisfies(s -> assertThat(s.ok()).isFalse());
    assertThat(r.failures()).anyMatch(f -> f.startsWith("leaker.fds grows"));
  }

  @Test
  void failoverFailsWhenARestartLosesAcceptedJobs(@TempDir Path dir) throws Exception {
    fake = new ProcessBuilder("sleep", "600").start();
    ClusterDescription real = ClusterDescription.read(cluster.description());
    String redis =
        "redis-cli -h 127.0.0.1 -p "
            + real.redis().port()
            + " --no-auth-warning -a \\\"$(cat "
            + real.redis().passwordFile().orElseThrow()
            + ")\\\"";
    String deleteFinished =
        redis
            + " EVAL \\\"local n = 0 for _, k in ipairs(redis.call('KEYS', ARGV[1])) do"
            + " if redis.call('HGET', k, 'state') == 'DONE' then redis.call('DEL', k) n = n + 1 end end return n\\\""
            + " 0 'polyrun:*:job:*'";
    Path description =
        describe(dir, "coordinator", "coordinator", "[\"sh\", \"-c\", \"" + deleteFinished + "\"]");

    Harness.Run run =
        Harness.run(
            cluster,
            dir.resolve("out"),
            "failover",
            "--cluster",
            description.toString(),
            "--faults",
            "kill-coordinator",
            "--lang",
            "python",
            "--rate",
            "1",
            "--quiet",
            "12s",
            "--fault-every",
            "4s",
            "--settle",
            "30s",
            "--drain",
            "30s");

    RunReport r = run.report();
    assertThat(r.invariants().lost()).isPositive();
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(r.failures()).anyMatch(f -> f.contains("accepted jobs lost"));
  }

  /**
   * A description of the real cluster's Redis with one fake process of the given role and restart
   * command.
   */
  private Path describe(Path dir, String name, String role, String restartJson) throws Exception {
    ClusterDescription real = ClusterDescription.read(cluster.description());
    Path file = dir.resolve("cluster.json");
    Files.writeString(
        file,
        """
        {"version": 1, "grpcAddress": "%s",
         "redis": {"host": "127.0.0.1", "port": %d, "passwordFile": "%s"},
         "processes": [{"name": "%s", "role": "%s", "pid": %d, "restart": %s}]}
        """
            .formatted(
                real.grpcAddress(),
                real.redis().port(),
                real.redis().passwordFile().orElseThrow(),
                name,
                role,
                fake.pid(),
                restartJson));
    return file;
  }
}
