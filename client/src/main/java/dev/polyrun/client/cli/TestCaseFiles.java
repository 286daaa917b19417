package dev.polyrun.client.cli;

import com.google.protobuf.ByteString;
import dev.polyrun.proto.v1.Comparator;
import dev.polyrun.proto.v1.TestCase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Reads the test cases of {@code --tests DIR}: each {@code NAME.out} is the expected output of one
 * case and {@code NAME.in}, when present, its stdin. Cases are ordered by name, numbers compared as
 * numbers ({@code 2} before {@code 10}).
 */
final class TestCaseFiles {
  private TestCaseFiles() {}

  /**
   * The cases of {@code dir}.
   *
   * @throws UsageException when the directory is unreadable, empty of cases, or holds an {@code
   *     .in} without its {@code .out}
   */
  static List<TestCase> read(Path dir, Comparator comparator, double tolerance) {
    if (!Files.isDirectory(dir)) {
      throw new UsageException(
          "--tests: '"
              + dir
              + "' is not a directory (expected: a directory of NAME.in and NAME.out files)");
    }
    Map<String, Path[]> cases = new TreeMap<>(TestCaseFiles::naturalOrder);
    try (Stream<Path> files = Files.list(dir)) {
      files
          .filter(Files::isRegularFile)
          .forEach(
              f -> {
                String name = f.getFileName().toString();
                if (name.endsWith(".in")) {
                  cases.computeIfAbsent(stem(name, ".in"), k -> new Path[2])[0] = f;
                } else if (name.endsWith(".out")) {
                  cases.computeIfAbsent(stem(name, ".out"), k -> new Path[2])[1] = f;
                }
              });
    } catch (IOException e) {
      throw new UsageException("--tests: cannot list '" + dir + "': " + e.getMessage());
    }
    if (cases.isEmpty()) {
      throw new UsageException(
          "--tests: '"
              + dir
              + "' holds no test case (expected: NAME.out files, each with an optional NAME.in)");
    }
    List<TestCase> list = new ArrayList<>();
    cases.forEach((name, files) -> list.add(testCase(name, files, comparator, tolerance)));
    return list;
  }

  private static TestCase testCase(
      String name, Path[] files, Comparator comparator, double tolerance) {
    if (files[1] == null) {
      throw new UsageException(
          "--tests: '"
              + files[0]
              + "' has no '"
              + name
              + ".out' (expected: the case's expected output)");
    }
    return TestCase.newBuilder()
        .setName(name)
        .setStdin(files[0] == null ? ByteString.EMPTY : ByteString.copyFrom(content(files[0])))
        .setExpectedStdout(ByteString.copyFrom(content(files[1])))
        .setComparator(comparator)
        .setTolerance(tolerance)
        .build();
  }

  private static byte[] content(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UsageException("--tests: cannot read '" + file + "': " + e.getMessage());
    }
  }

  private static String stem(String name, String suffix) {
    return name.substring(0, name.length() - suffix.length());
  }

  /** {@code a2} before {@code a10}: runs of digits compare by value, the rest as text. */
  static int naturalOrder(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      char x = a.charAt(i);
      char y = b.charAt(j);
      if (Character.isDigit(x) && Character.isDigit(y)) {
        int ei = i;
        int ej = j;
        while (ei < a.length() && Character.isDigit(a.charAt(ei))) {
          ei++;
        }
        while (ej < b.length() && Character.isDigit(b.charAt(ej))) {
          ej++;
        }
        int c =
            new java.math.BigInteger(a.substring(i, ei))
                .compareTo(new java.math.BigInteger(b.substring(j, ej)));
        if (c != 0) {
          return c;
        }
        i = ei;
        j = ej;
      } else {
        if (x != y) {
          return Character.compare(x, y);
        }
        i++;
        j++;
      }
    }
    int c = Integer.compare(a.length() - i, b.length() - j);
    return c != 0 ? c : a.compareTo(b);
  }
}
