package dev.polyrun.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.MethodDescriptor;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
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

  @Test
  void anAddedInterceptorSeesEveryCall() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    List<String> seen = new CopyOnWriteArrayList<>();
    ClientInterceptor recording =
        new ClientInterceptor() {
          @Override
          public <Q, R> ClientCall<Q, R> interceptCall(
              MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
            seen.add(method.getFullMethodName());
            return next.newCall(method, options);
          }
        };

    try (PolyrunClient client =
        PolyrunClient.builder("127.0.0.1:" + closedPort)
            .interceptor(recording)
            .deadline(Duration.ofSeconds(2))
            .build()) {
      assertThatThrownBy(client::languages).isInstanceOf(PolyrunException.class);
    }
    assertThat(seen)
        .isNotEmpty()
        .allMatch(m -> m.equals("polyrun.v1.ExecutorService/ListLanguages"));
  }
}
