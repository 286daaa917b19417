package dev.polyrun.coordinator.internal.stream;

/** Event cursors (Redis stream ids {@code ms-seq}) compared as the positions they are. */
final class Cursors {
  /** The position before every event. */
  static final String START = "0-0";

  private Cursors() {}

  /** Negative, zero or positive as {@code a} is before, at or after {@code b}; "" is the start. */
  static int compare(String a, String b) {
    long[] x = parse(a);
    long[] y = parse(b);
    int c = Long.compareUnsigned(x[0], y[0]);
    return c != 0 ? c : Long.compareUnsigned(x[1], y[1]);
  }

  static boolean after(String a, String b) {
    return compare(a, b) > 0;
  }

  private static long[] parse(String cursor) {
    if (cursor.isEmpty()) {
      return new long[] {0, 0};
    }
    int dash = cursor.indexOf('-');
    return new long[] {
      Long.parseUnsignedLong(cursor.substring(0, dash)),
      Long.parseUnsignedLong(cursor.substring(dash + 1))
    };
  }
}
