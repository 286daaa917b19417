package dev.polyrun.client.cli;

import dev.polyrun.proto.v1.StageStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Formats the figures of a stage for people: seconds, binary sizes, signal names. */
final class Figures {
  // Linux signal numbers 1-31, in order.
  private static final String[] SIGNALS =
      ("HUP INT QUIT ILL TRAP ABRT BUS FPE KILL USR1 SEGV USR2 PIPE ALRM TERM STKFLT CHLD CONT STOP"
              + " TSTP TTIN TTOU URG XCPU XFSZ VTALRM PROF WINCH IO PWR SYS")
          .split(" ");
  private static final String[] UNITS = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

  private Figures() {}

  /** Milliseconds as seconds with two decimals: {@code 5000 -> "5.00 s"}. */
  static String seconds(long millis) {
    return String.format(Locale.ROOT, "%.2f s", millis / 1000.0);
  }

  /**
   * Bytes in binary units with one decimal: {@code 3250586 -> "3.1 MiB"}, {@code 512 -> "512 B"}.
   */
  static String bytes(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    double value = bytes;
    int unit = -1;
    while (value >= 1024 && unit < UNITS.length - 1) {
      value /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f %s", value, UNITS[unit]);
  }

  /** {@code "signal 11 SIGSEGV"}; just the number for signals without a Linux name. */
  static String signal(int signal) {
    boolean named = signal >= 1 && signal <= SIGNALS.length;
    return named ? "signal " + signal + " SIG" + SIGNALS[signal - 1] : "signal " + signal;
  }

  /**
   * How the stage ended and what it used: {@code "exit code 3, cpu 0.01 s, wall 0.04 s, memory 3.1
   * MiB"}, or with {@code "signal 11 SIGSEGV"} first when a signal ended it; neither when the
   * sandbox ended the stage (a limit, a cancel).
   */
  static String usage(StageStats stage) {
    List<String> parts = new ArrayList<>();
    if (stage.hasSignal()) {
      parts.add(signal(stage.getSignal()));
    } else if (stage.hasExitCode()) {
      parts.add("exit code " + stage.getExitCode());
    }
    parts.add("cpu " + seconds(stage.getCpuTimeMs()));
    parts.add("wall " + seconds(stage.getWallTimeMs()));
    parts.add("memory " + bytes(stage.getPeakMemoryBytes()));
    if (stage.getOutputTruncated()) {
      parts.add("output truncated");
    }
    return String.join(", ", parts);
  }
}
