package dev.polyrun.worker.language;

import java.math.BigInteger;
import java.util.Comparator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Orders version names the way people read them: {@code 3.13} after {@code 3.9}. */
final class VersionNames {
  private static final Pattern PART = Pattern.compile("\\d+|\\D+");

  /** Newest first; names that are not numbers compare as text. */
  static final Comparator<String> NEWEST_FIRST =
      ((Comparator<String>) VersionNames::compare).reversed();

  private VersionNames() {}

  /** Compares runs of digits as numbers and everything else as text. */
  static int compare(String a, String b) {
    Matcher x = PART.matcher(a);
    Matcher y = PART.matcher(b);
    while (true) {
      boolean hasX = x.find();
      boolean hasY = y.find();
      if (!hasX || !hasY) {
        return Boolean.compare(hasX, hasY);
      }
      String px = x.group();
      String py = y.group();
      boolean digits = Character.isDigit(px.charAt(0)) && Character.isDigit(py.charAt(0));
      int c = digits ? new BigInteger(px).compareTo(new BigInteger(py)) : px.compareTo(py);
      if (c != 0) {
        return c;
      }
    }
  }
}
