package dev.polyrun.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.polyrun.config.StageLimits;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StageLimitsJsonTest {
  private static final String PYTHON =
      """
      {"cpuTimeMs": 5000, "wallTimeMs": 10000, "memoryBytes": 268435456, "maxProcesses": 32,
       "outputBytes": 1048576, "fileSizeBytes": 16777216}""";

  @Test
  void aDefinitionsLimitsAreReadUnderTheirJsonNames() {
    assertThat(StageLimitsJson.read(JsonParser.parseString(PYTHON), "limits.run"))
        .isEqualTo(
            new StageLimits(
                Duration.ofSeconds(5), Duration.ofSeconds(10), 256L << 20, 32, 1 << 20, 16 << 20));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "\"maxProcesses\": 32,|limits.run.maxProcesses: missing (expected: a whole number from 1 to 2147483647)",
        "\"maxProcesses\": 32|limits.run.maxProcesses: 0 (expected: a whole number from 1 to 2147483647)",
        "\"cpuTimeMs\": 5000|limits.run.cpuTimeMs: 1.5 (expected: a whole number from 1 to 9223372036854775807)",
        "\"memoryBytes\"|limits.run: unknown field \"memoryByte\" (expected: one of [cpuTimeMs, fileSizeBytes,"
            + " maxProcesses, memoryBytes, outputBytes, wallTimeMs])"
      })
  void aMissingUnknownOrBadLimitIsNamed(String replaced, String message) {
    String replacement =
        switch (replaced) {
          case "\"maxProcesses\": 32," -> "";
          case "\"maxProcesses\": 32" -> "\"maxProcesses\": 0";
          case "\"cpuTimeMs\": 5000" -> "\"cpuTimeMs\": 1.5";
          default -> "\"memoryByte\"";
        };
    String json = PYTHON.replace(replaced, replacement);

    assertThatThrownBy(() -> StageLimitsJson.read(JsonParser.parseString(json), "limits.run"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  @Test
  void asAGsonDeserializerItReadsTheSameAndFailsAsGsonDoes() {
    var gson =
        new GsonBuilder().registerTypeAdapter(StageLimits.class, new StageLimitsJson()).create();

    assertThat(gson.fromJson(PYTHON, StageLimits.class))
        .isEqualTo(StageLimitsJson.read(JsonParser.parseString(PYTHON), "x"));
    assertThatThrownBy(() -> gson.fromJson("{\"cpuTimeMs\": 1}", StageLimits.class))
        .isInstanceOf(JsonParseException.class)
        .hasMessageStartingWith("stage limits.wallTimeMs: missing");
  }
}
