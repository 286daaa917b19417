package dev.polyrun.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PolyrunClientBuilderTest {
  private final PolyrunClientBuilder builder = PolyrunClient.builder("localhost:50051");

  @Test
  void invalidOptionsNameTheValueAndWhatWasExpected() {
    assertThatThrownBy(() -> builder.deadline(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("deadline: PT0S (expected: > 0)");
    assertThatThrownBy(() -> builder.maxResumes(-1)).hasMessage("maxResumes: -1 (expected: >= 0)");
    assertThatThrownBy(() -> PolyrunClient.builder(" "))
        .hasMessage("target: '' (expected: host:port, e.g. localhost:50051)");
  }

  @Test
  void apiKeyErrorsDoNotEchoTheKey() {
    assertThatThrownBy(() -> builder.apiKey("secret with space"))
        .isInstanceOf(IllegalArgumentException.class)
        .message()
        .doesNotContain("secret");
  }

  @Test
  void clientKeepsItsTargetAndClosesTwiceWithoutHarm() {
    PolyrunClient client = builder.apiKey("k-123").deadline(Duration.ofSeconds(1)).build();

    assertThat(client.target()).isEqualTo("localhost:50051");
    client.close();
    client.close();
  }
}
