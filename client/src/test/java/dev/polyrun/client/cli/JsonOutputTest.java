package dev.polyrun.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.polyrun.client.PolyrunRequestException;
import io.grpc.Status;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonOutputTest {
  private static JsonObject error(String reason) {
    PolyrunRequestException e =
        new PolyrunRequestException(
            Status.Code.INVALID_ARGUMENT,
            reason,
            "language: 'cobol' (expected: one of [python])",
            List.of(),
            null,
            null,
            null);
    return JsonParser.parseString(JsonOutput.error(e, e.getMessage()))
        .getAsJsonObject()
        .getAsJsonObject("error");
  }

  @Test
  void anErrorCarriesTheServicesReasonWhenItGaveOne() {
    assertThat(error("UNKNOWN_LANGUAGE").get("reason").getAsString()).isEqualTo("UNKNOWN_LANGUAGE");
    assertThat(error("").has("reason")).isFalse();
  }
}
