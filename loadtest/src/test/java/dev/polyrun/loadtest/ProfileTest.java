package dev.polyrun.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.polyrun.proto.v1.Limits;
import dev.polyrun.proto.v1.Verdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileTest {
  @Test
  void theShippedMixHasItsFourProgramsAndTheirShares() {
    Profile mix = Profile.read(Path.of("profiles/mix.json"));

    assertThat(mix.programs())
        .extracting(Program::name)
        .containsExactly("python-hello", "cpp-hello", "java-hello", "python-judged");
    Program judged = mix.programs().get(3);
    assertThat(judged.testCases()).hasSize(10);
    assertThat(judged.expectedVerdict()).isEqualTo(Verdict.VERDICT_ACCEPTED);
    assertThat(mix.programs().get(2).files().get(0).getPath())
        .as("the language's own file name (Main.java)")
        .isEmpty();

    Map<String, Integer> picks = new HashMap<>();
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 100_000; i++) {
      picks.merge(mix.pick(random.nextDouble()).name(), 1, Integer::sum);
    }
    assertThat(picks.get("python-hello") / 100_000.0).isCloseTo(0.6, within(0.01));
    assertThat(picks.get("cpp-hello") / 100_000.0).isCloseTo(0.2, within(0.01));
    assertThat(picks.get("java-hello") / 100_000.0).isCloseTo(0.1, within(0.01));
  }

  @Test
  void inlineSourcesExpectedVerdictsAndLimitsAreRead(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("p.json");
    Files.writeString(
        file,
        """
        {"programs": [{"name": "spin", "language": "python", "source": "while True: pass",
          "expectedVerdict": "time-limit-exceeded", "runLimits": {"cpuTimeMs": 1000, "maxProcesses": 4, "fileSizeBytes": 4096}}]}""");

    Program spin = Profile.read(file).programs().get(0);

    assertThat(spin.expectedVerdict()).isEqualTo(Verdict.VERDICT_TIME_LIMIT_EXCEEDED);
    assertThat(spin.runLimits())
        .isEqualTo(
            Limits.newBuilder()
                .setCpuTimeMs(1000)
                .setMaxProcesses(4)
                .setFileSizeBytes(4096)
                .build());
    assertThat(spin.request().getFiles(0).getContent().toStringUtf8())
        .isEqualTo("while True: pass");
  }

  @Test
  void aMisspeltLimitIsAnError(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("p.json");
    Files.writeString(
        file,
        """
        {"programs": [{"name": "spin", "language": "python", "source": "1", "runLimits": {"cpuTime": 1000}}]}""");

    assertThatThrownBy(() -> Profile.read(file))
        .hasMessageContaining("p.json")
        .hasMessageContaining("runLimits: {\"cpuTime\":1000} (expected: the contract's Limits");
  }

  @Test
  void aBadEntryIsNamedWithItsFileAndField(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("p.json");
    Files.writeString(
        file,
        "{\"programs\": [{\"name\": \"x\", \"language\": \"python\", \"files\": [\"missing.py\"]}]}");

    assertThatThrownBy(() -> Profile.read(file))
        .hasMessageContaining("p.json")
        .hasMessageContaining("'x'")
        .hasMessageContaining("missing.py");
  }

  @Test
  void weightsMustLeaveSomethingToPick() {
    Program p =
        Program.of(
            "a",
            "python",
            com.google.protobuf.ByteString.EMPTY,
            com.google.protobuf.ByteString.EMPTY);
    assertThatThrownBy(() -> new Profile(List.of(new Profile.Entry(p, 0))))
        .hasMessageContaining("every weight is 0");
    assertThatThrownBy(() -> new Profile(List.of(new Profile.Entry(p, -1))))
        .hasMessageContaining("weight of a: -1.0");
  }
}
