package dev.polyrun.coordinator.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.polyrun.proto.v1.ExecuteRequest;
import dev.polyrun.proto.v1.SourceFile;
import dev.polyrun.proto.v1.SubmitRequest;
import org.junit.jupiter.api.Test;

class IdempotencyTest {
  private static SubmitRequest.Builder request() {
    return SubmitRequest.newBuilder()
        .setLanguage("python")
        .addFiles(SourceFile.newBuilder().setContent(ByteString.copyFromUtf8("print(1)")));
  }

  @Test
  void theFingerprintIgnoresTheKeyAndCancelOnDisconnectButNothingElse() throws Exception {
    String base = Idempotency.fingerprint(request().setIdempotencyKey("a").build());

    assertThat(
            Idempotency.fingerprint(
                Requests.toSubmit(
                    ExecuteRequest.parseFrom(
                            request().setIdempotencyKey("b").build().toByteString())
                        .toBuilder()
                        .setCancelOnDisconnect(true)
                        .build())))
        .isEqualTo(base);
    assertThat(Idempotency.fingerprint(request().setStdin(ByteString.copyFromUtf8("x")).build()))
        .isNotEqualTo(base);
    assertThat(Idempotency.fingerprint(request().setLanguage("c").build())).isNotEqualTo(base);
    assertThat(base).matches("[0-9a-f]{64}");
  }
}
