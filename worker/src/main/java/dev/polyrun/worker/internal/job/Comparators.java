package dev.polyrun.worker.internal.job;

import dev.polyrun.proto.v1.Comparator;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Compares a program's output with a test case's expected output. Pure. */
final class Comparators {
  private Comparators() {}

  static boolean matches(Comparator comparator, byte[] actual, byte[] expected, double tolerance) {
    return switch (comparator) {
      case COMPARATOR_IGNORE_TRAILING_WHITESPACE ->
          trimmedLines(actual).equals(trimmedLines(expected));
      case COMPARATOR_NUMBERS -> numbersMatch(text(actual), text(expected), tolerance);
      default -> Arrays.equals(actual, expected);
    };
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** Lines without trailing blanks, and without the empty lines at the end. */
  static List<String> trimmedLines(byte[] bytes) {
    List<String> lines = new ArrayList<>();
    for (String line : text(bytes).split("\n", -1)) {
      lines.add(line.stripTrailing());
    }
    while (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
      lines.remove(lines.size() - 1);
    }
    return lines;
  }

  /**
   * Whitespace-separated tokens pairwise: numbers within {@code tolerance} (absolute, or relative
   * to the expected value when that is larger), anything else equal.
   */
  static boolean numbersMatch(String actual, String expected, double tolerance) {
    String[] a = actual.strip().split("\\s+");
    String[] e = expected.strip().split("\\s+");
    if (a.length != e.length) {
      return false;
    }
    for (int i = 0; i < a.length; i++) {
      if (!tokenMatches(a[i], e[i], tolerance)) {
        return false;
      }
    }
    return true;
  }

  private static boolean tokenMatches(String actual, String expected, double tolerance) {
    if (actual.equals(expected)) {
      return true;
    }
    try {
      BigDecimal x = new BigDecimal(actual);
      BigDecimal y = new BigDecimal(expected);
      double diff = x.subtract(y).abs().doubleValue();
      return diff <= tolerance || diff <= tolerance * y.abs().doubleValue();
    } catch (NumberFormatException notNumbers) {
      return false;
    }
  }
}
