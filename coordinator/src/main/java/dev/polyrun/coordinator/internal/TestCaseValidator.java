package dev.polyrun.coordinator.internal;

import dev.polyrun.coordinator.ServerLimits;
import dev.polyrun.proto.v1.Comparator;
import dev.polyrun.proto.v1.SubmitRequest;
import dev.polyrun.proto.v1.TestCase;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Checks a request's test cases: how many, how large, their names and comparators. Pure. */
final class TestCaseValidator {
  private static final int MAX_NAME_LENGTH = 64;
  private final ServerLimits max;

  TestCaseValidator(ServerLimits max) {
    this.max = max;
  }

  void check(SubmitRequest r, List<Violation> v) {
    int count = r.getTestCasesCount();
    if (count == 0) {
      return;
    }
    if (count > max.maxTestCases()) {
      v.add(
          new Violation(
              "test_cases", count + " test cases (expected: <= " + max.maxTestCases() + ")"));
    }
    if (!r.getStdin().isEmpty()) {
      v.add(
          new Violation(
              "stdin",
              r.getStdin().size()
                  + " bytes with test cases (expected: empty; each test case has its own stdin)"));
    }
    long bytes = 0;
    Set<String> names = new HashSet<>();
    for (int i = 0; i < count; i++) {
      TestCase c = r.getTestCases(i);
      bytes += c.getStdin().size() + c.getExpectedStdout().size();
      checkName("test_cases[" + i + "].name", c.getName(), names, v);
      checkComparison("test_cases[" + i + "]", c, v);
    }
    if (bytes > max.maxTestDataBytes()) {
      v.add(
          new Violation(
              "test_cases",
              bytes
                  + " bytes of stdin and expected output in all (expected: <= "
                  + max.maxTestDataBytes()
                  + ")"));
    }
  }

  private static void checkName(String field, String name, Set<String> seen, List<Violation> v) {
    if (name.length() > MAX_NAME_LENGTH || name.chars().anyMatch(Character::isISOControl)) {
      String shown =
          name.length() > MAX_NAME_LENGTH ? name.substring(0, MAX_NAME_LENGTH) + "..." : name;
      v.add(
          new Violation(
              field,
              "'"
                  + shown.replaceAll("\\p{Cntrl}", "?")
                  + "' (expected: at most "
                  + MAX_NAME_LENGTH
                  + " characters, no control characters)"));
    } else if (!name.isEmpty() && !seen.add(name)) {
      v.add(new Violation(field, "'" + name + "' appears twice (expected: unique names)"));
    }
  }

  private static void checkComparison(String field, TestCase c, List<Violation> v) {
    if (c.getComparator() == Comparator.UNRECOGNIZED) {
      v.add(
          new Violation(
              field + ".comparator",
              c.getComparatorValue()
                  + " (expected: EXACT, IGNORE_TRAILING_WHITESPACE or NUMBERS)"));
    }
    double tolerance = c.getTolerance();
    if (!(tolerance >= 0) || Double.isInfinite(tolerance)) {
      v.add(new Violation(field + ".tolerance", tolerance + " (expected: a finite number >= 0)"));
    }
  }
}
