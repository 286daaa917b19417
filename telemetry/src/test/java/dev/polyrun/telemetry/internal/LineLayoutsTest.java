package dev.polyrun.telemetry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.polyrun.telemetry.Logging;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LineLayoutsTest {
  private static LoggingEvent event(String message, Map<String, String> mdc, Throwable error) {
    LoggerContext context = new LoggerContext();
    LoggingEvent e =
        new LoggingEvent(
            "x", context.getLogger("dev.polyrun.worker.Worker"), Level.WARN, message, error, null);
    e.setMDCPropertyMap(mdc);
    e.setTimeStamp(1_700_000_000_123L);
    e.setThreadName("polyrun-slot-0");
    return e;
  }

  @Test
  void aTextLineHasItsTimeLevelProcessThreadLoggerMessageAndIds() {
    String line =
        new TextLineLayout()
            .doLayout(
                event(
                    "job ended", Map.of("job_id", "j-1", "trace_id", "t1", "span_id", "s1"), null));

    assertThat(line)
        .isEqualTo(
            "2023-11-14T22:13:20.123Z WARN  "
                + Logging.process()
                + " [polyrun-slot-0] Worker - job ended "
                + "job_id=j-1 trace_id=t1 span_id=s1"
                + System.lineSeparator());
  }

  @Test
  void aJsonLineIsOneObjectWithTheSameFieldsAndEscapedText() {
    String line =
        new JsonLineLayout()
            .doLayout(
                event(
                    "a \"quoted\"\nline\u0001",
                    Map.of("job_id", "j-1"),
                    new IllegalStateException("boom")));

    assertThat(line).endsWith(System.lineSeparator());
    assertThat(line.strip()).doesNotContain("\n");
    JsonObject json = JsonParser.parseString(line).getAsJsonObject();
    assertThat(json.get("timestamp").getAsString()).isEqualTo("2023-11-14T22:13:20.123Z");
    assertThat(json.get("level").getAsString()).isEqualTo("WARN");
    assertThat(json.get("logger").getAsString()).isEqualTo("dev.polyrun.worker.Worker");
    assertThat(json.get("message").getAsString()).isEqualTo("a \"quoted\"\nline\u0001");
    assertThat(json.get("job_id").getAsString()).isEqualTo("j-1");
    assertThat(json.has("trace_id")).isFalse();
    assertThat(json.get("exception").getAsString()).contains("IllegalStateException: boom");
  }
}
