package dev.polyrun.loadtest.internal;

import dev.polyrun.loadtest.RunReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/** Writes a run's JSON record and HTML report side by side, named by scenario and time. */
public final class ReportFiles {
  /** The two files written. */
  public record Written(Path json, Path html) {}

  private ReportFiles() {}

  public static Written write(RunReport report, Path dir) throws IOException {
    Files.createDirectories(dir);
    String stamp =
        ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    String base = report.scenario() + "-" + stamp;
    Path json = dir.resolve(base + ".json");
    for (int i = 2; Files.exists(json); i++) {
      json = dir.resolve(base + "-" + i + ".json");
    }
    Path html = dir.resolve(json.getFileName().toString().replaceFirst("\\.json$", ".html"));
    Files.writeString(json, Json.GSON.toJson(report), StandardCharsets.UTF_8);
    Files.writeString(html, HtmlReport.render(report), StandardCharsets.UTF_8);
    return new Written(json, html);
  }

  /** Reads a JSON record back. */
  public static RunReport read(Path json) throws IOException {
    RunReport r =
        Json.GSON.fromJson(Files.readString(json, StandardCharsets.UTF_8), RunReport.class);
    if (r == null || r.scenario() == null) {
      throw new IllegalArgumentException(
          "'" + json + "' is not a loadtest report (expected: the JSON a run wrote)");
    }
    return r;
  }
}
