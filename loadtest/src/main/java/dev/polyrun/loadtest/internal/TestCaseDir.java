package dev.polyrun.loadtest.internal;

import com.google.protobuf.ByteString;
import dev.polyrun.proto.v1.Comparator;
import dev.polyrun.proto.v1.TestCase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Test cases from a directory laid out as the CLI's {@code --tests DIR}: each {@code NAME.out} is
 * one case's expected output and {@code NAME.in}, when present, its stdin; ordered by name.
 */
public final class TestCaseDir {
  private TestCaseDir() {}

  /** The cases of {@code dir}; IllegalArgumentException when it has none or is unreadable. */
  public static List<TestCase> read(Path dir, Comparator comparator) {
    TreeMap<String, Path> outs = new TreeMap<>(TestCaseDir::naturalOrder);
    try (Stream<Path> files = Files.list(dir)) {
      files
          .filter(f -> f.getFileName().toString().endsWith(".out"))
          .forEach(f -> outs.put(f.getFileName().toString().replaceFirst("\\.out$", ""), f));
    } catch (IOException e) {
      throw new IllegalArgumentException("tests: cannot list '" + dir + "': " + e.getMessage(), e);
    }
    if (outs.isEmpty()) {
      throw new IllegalArgumentException(
          "tests: '" + dir + "' holds no NAME.out file (expected: one per case)");
    }
    List<TestCase> cases = new ArrayList<>();
    outs.forEach(
        (name, out) -> {
          Path in = dir.resolve(name + ".in");
          cases.add(
              TestCase.newBuilder()
                  .setName(name)
                  .setStdin(Files.exists(in) ? bytes(in) : ByteString.EMPTY)
                  .setExpectedStdout(bytes(out))
                  .setComparator(comparator)
                  .build());
        });
    return cases;
  }

  private static ByteString bytes(Path file) {
    try {
      return ByteString.copyFrom(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read '" + file + "'", e);
    }
  }

  /** {@code 2} before {@code 10}: names that are numbers compare by value, others as text. */
  static int naturalOrder(String a, String b) {
    boolean na = a.matches("\\d{1,18}");
    boolean nb = b.matches("\\d{1,18}");
    if (na && nb) {
      int c = Long.compare(Long.parseLong(a), Long.parseLong(b));
      return c != 0 ? c : a.compareTo(b);
    }
    return na != nb ? (na ? -1 : 1) : a.compareTo(b);
  }
}
