package dev.polyrun.loadtest.it;

import dev.polyrun.loadtest.LoadtestCli;
import dev.polyrun.loadtest.RunReport;
import dev.polyrun.loadtest.internal.ReportFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Runs a scenario in this JVM against the test cluster and reads back the report it wrote. */
final class Harness {
  /** A scenario's exit code, its record and where its HTML went. */
  record Run(int exitCode, RunReport report, Path html) {}

  private Harness() {}

  static Run run(LocalClusterExtension.Cluster cluster, Path out, String... args)
      throws IOException {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(
        List.of(
            "--cluster-dir",
            cluster.dir().toString(),
            "--out",
            out.toString(),
            "--images",
            LocalClusterExtension.IMAGES.toString()));
    int code = LoadtestCli.run(all.toArray(String[]::new));
    try (Stream<Path> files = Files.list(out)) {
      Path json =
          files
              .filter(f -> f.toString().endsWith(".json"))
              .findFirst()
              .orElseThrow(
                  () ->
                      new AssertionError(
                          "no report written for " + all + " (exit code " + code + ")"));
      return new Run(
          code, ReportFiles.read(json), Path.of(json.toString().replaceFirst("\\.json$", ".html")));
    }
  }

  /** The value of a headline figure. */
  static double metric(RunReport r, String name) {
    return r.summary().stream()
        .filter(m -> m.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no figure '" + name + "' in " + r.summary()))
        .value();
  }
}
