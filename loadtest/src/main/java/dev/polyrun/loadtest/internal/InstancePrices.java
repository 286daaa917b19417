package dev.polyrun.loadtest.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The operator's table of instance types and hourly prices (CSV: {@code
 * instance,vcpus,memory_gib,usd_per_hour[,arch]}, {@code #} comment lines, which say where the
 * prices come from and when; see {@code loadtest/instance-prices.csv}).
 *
 * @param note the leading comment lines, joined
 */
public record InstancePrices(String note, List<Instance> instances) {
  /** One instance type. */
  public record Instance(String name, int vcpus, double memoryGib, double usdPerHour) {}

  /**
   * Reads a prices file.
   *
   * @throws IllegalArgumentException naming the file, line and bad value
   */
  public static InstancePrices read(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "prices: cannot read '" + file + "': " + e.getMessage(), e);
    }
    StringBuilder note = new StringBuilder();
    List<Instance> instances = new ArrayList<>();
    boolean header = true;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.startsWith("#")) {
        note.append(note.isEmpty() ? "" : " ").append(line.substring(1).strip());
        continue;
      }
      if (line.isEmpty()) {
        continue;
      }
      if (header) {
        header = false;
        if (line.startsWith("instance")) {
          continue;
        }
      }
      String[] f = line.split(",");
      try {
        instances.add(
            new Instance(
                f[0].strip(),
                Integer.parseInt(f[1].strip()),
                Double.parseDouble(f[2].strip()),
                Double.parseDouble(f[3].strip())));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(
            "prices "
                + file
                + " line "
                + (i + 1)
                + ": '"
                + line
                + "' (expected: instance,vcpus,memory_gib,usd_per_hour)",
            e);
      }
    }
    if (instances.isEmpty()) {
      throw new IllegalArgumentException(
          "prices " + file + ": no instance type (expected: CSV rows)");
    }
    return new InstancePrices(note.toString(), List.copyOf(instances));
  }
}
