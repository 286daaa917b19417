package dev.polyrun.coordinator.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.DoubleSupplier;

/**
 * CPU seconds spent by the coordinator, Redis and this client between {@link #start} and {@link
 * #stop}: a figure that holds whatever else the machine runs, unlike a rate.
 */
final class CpuMeter {
  private final long coordinatorPid;
  private final DoubleSupplier redisSeconds;
  private double[] at;

  CpuMeter(long coordinatorPid, DoubleSupplier redisSeconds) {
    this.coordinatorPid = coordinatorPid;
    this.redisSeconds = redisSeconds;
  }

  void start() {
    at = now();
  }

  /** CPU seconds of coordinator, redis and client since {@link #start}. */
  double[] stop() {
    double[] end = now();
    return new double[] {end[0] - at[0], end[1] - at[1], end[2] - at[2]};
  }

  static String perCall(double[] cpu, long calls) {
    return String.format(
        Locale.ROOT,
        "CPU per call: coordinator %.3f ms, redis %.3f ms, client %.3f ms"
            + " (coordinator %.1f s, redis %.1f s, client %.1f s in all)",
        1000 * cpu[0] / calls,
        1000 * cpu[1] / calls,
        1000 * cpu[2] / calls,
        cpu[0],
        cpu[1],
        cpu[2]);
  }

  private double[] now() {
    return new double[] {
      processSeconds(coordinatorPid), redisSeconds.getAsDouble(), clientSeconds()
    };
  }

  /** utime + stime of a process, from /proc (clock ticks of 1/100 s). */
  static double processSeconds(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
    } catch (IOException e) {
      return Double.NaN;
    }
  }

  private static double clientSeconds() {
    return ManagementFactory.getPlatformMXBean(com.sun.management.OperatingSystemMXBean.class)
            .getProcessCpuTime()
        / 1e9;
  }
}
