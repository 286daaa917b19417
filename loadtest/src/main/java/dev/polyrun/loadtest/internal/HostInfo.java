package dev.polyrun.loadtest.internal;

import dev.polyrun.loadtest.RunReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The machine the harness runs on: cores, memory, kernel, load average. */
public final class HostInfo {
  private HostInfo() {}

  /** The 1-minute load average, or NaN where /proc/loadavg is absent. */
  public static double load() {
    try {
      return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  /** This host, with the load average taken before the run. */
  public static RunReport.Host describe(double loadBefore) {
    String host;
    try {
      host = java.net.InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      host = "unknown";
    }
    long memoryMb = 0;
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          memoryMb = Long.parseLong(line.replaceAll("\\D", "")) / 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: leave 0
    }
    return new RunReport.Host(
        host,
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("os.name") + " " + System.getProperty("os.version"),
        memoryMb,
        loadBefore,
        load());
  }
}
