package dev.polyrun.sandbox.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.polyrun.sandbox.SandboxPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdRangesTest {
  @TempDir Path dir;

  private Path subuid(String content) throws IOException {
    return Files.writeString(dir.resolve("subuid"), content);
  }

  @Test
  void eachSlotGetsItsOwnRangeFromTheBaseOn() throws IOException {
    try (IdRanges ids =
        IdRanges.claim(
            new SandboxPolicy.Ids(200_000, 1000, true), 3, dir.resolve("claims"), List.of())) {
      assertThat(ids.all())
          .containsExactly(
              new IdRange(200_000, 1000), new IdRange(201_000, 1000), new IdRange(202_000, 1000));
    }
  }

  @Test
  void rangesGivenToOthersInSubuidAreSkipped() throws IOException {
    Path file = subuid("# comment\nalice:200500:100\n");
    try (IdRanges ids =
        IdRanges.claim(
            new SandboxPolicy.Ids(200_000, 1000, true), 1, dir.resolve("claims"), List.of(file))) {
      assertThat(ids.all()).containsExactly(new IdRange(201_000, 1000));
    }
  }

  @Test
  void aFixedBaseThatOverlapsSubuidIsRefusedNamingTheFile() throws IOException {
    Path file = subuid("alice:200500:100\n");
    assertThatThrownBy(
            () ->
                IdRanges.claim(
                    new SandboxPolicy.Ids(200_000, 1000, false),
                    1,
                    dir.resolve("claims"),
                    List.of(file)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("200000-200999")
        .hasMessageContaining("200500-200599")
        .hasMessageContaining(file.toString());
  }

  @Test
  void twoWorkersOnOneHostNeverShareARangeAndARangeIsFreeAgainOnceGivenBack() throws IOException {
    SandboxPolicy.Ids policy = new SandboxPolicy.Ids(300_000, 1000, true);
    Path claims = dir.resolve("claims");
    IdRanges first = IdRanges.claim(policy, 2, claims, List.of());
    try (IdRanges second = IdRanges.claim(policy, 2, claims, List.of())) {
      assertThat(second.all())
          .containsExactly(new IdRange(302_000, 1000), new IdRange(303_000, 1000));
      assertThatThrownBy(
              () ->
                  IdRanges.claim(new SandboxPolicy.Ids(301_000, 1000, false), 1, claims, List.of()))
          .hasMessageContaining("a worker's claim");
    }
    first.close();
    try (IdRanges third =
        IdRanges.claim(new SandboxPolicy.Ids(301_000, 1000, false), 1, claims, List.of())) {
      assertThat(third.all()).containsExactly(new IdRange(301_000, 1000));
    }
  }

  @Test
  void aRangeIsLentToOneWorkDirectoryAtATime() throws IOException {
    try (IdRanges ids =
        IdRanges.claim(
            new SandboxPolicy.Ids(400_000, 1000, true), 2, dir.resolve("claims"), List.of())) {
      IdRange a = ids.acquire();
      IdRange b = ids.acquire();
      assertThat(a).isNotEqualTo(b);
      assertThatThrownBy(ids::acquire).hasMessageContaining("one per slot");
      ids.release(a);
      assertThat(ids.acquire()).isEqualTo(a);
    }
  }
}
