package dev.polyrun.client.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.polyrun.proto.v1.Comparator;
import dev.polyrun.proto.v1.TestCase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestCaseFilesTest {
  @TempDir Path dir;

  @Test
  void casesArePairedByNameAndOrderedWithNumbersAsNumbers() throws IOException {
    for (String name : List.of("10", "2", "1")) {
      Files.writeString(dir.resolve(name + ".in"), "in" + name);
      Files.writeString(dir.resolve(name + ".out"), "out" + name);
    }
    Files.writeString(dir.resolve("noinput.out"), "x");
    Files.writeString(dir.resolve("README"), "ignored");

    List<TestCase> cases = TestCaseFiles.read(dir, Comparator.COMPARATOR_NUMBERS, 0.5);

    assertThat(cases).extracting(TestCase::getName).containsExactly("1", "2", "10", "noinput");
    assertThat(cases.get(2).getStdin().toStringUtf8()).isEqualTo("in10");
    assertThat(cases.get(2).getExpectedStdout().toStringUtf8()).isEqualTo("out10");
    assertThat(cases.get(3).getStdin().isEmpty()).isTrue();
    assertThat(cases)
        .allSatisfy(
            c -> {
              assertThat(c.getComparator()).isEqualTo(Comparator.COMPARATOR_NUMBERS);
              assertThat(c.getTolerance()).isEqualTo(0.5);
            });
  }

  @Test
  void anInputWithoutItsExpectedOutputIsAUsageError() throws IOException {
    Files.writeString(dir.resolve("a.in"), "x");

    assertThatThrownBy(() -> TestCaseFiles.read(dir, Comparator.COMPARATOR_EXACT, 0))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("has no 'a.out'");
  }

  @Test
  void aDirectoryWithoutCasesIsAUsageError() {
    assertThatThrownBy(() -> TestCaseFiles.read(dir, Comparator.COMPARATOR_EXACT, 0))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("holds no test case");
    assertThatThrownBy(
            () -> TestCaseFiles.read(dir.resolve("nope"), Comparator.COMPARATOR_EXACT, 0))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("is not a directory");
  }

  @Test
  void naturalOrderComparesDigitRunsByValue() {
    assertThat(TestCaseFiles.naturalOrder("case2", "case10")).isNegative();
    assertThat(TestCaseFiles.naturalOrder("b1", "a2")).isPositive();
    assertThat(TestCaseFiles.naturalOrder("01", "1")).isNotZero();
  }
}
