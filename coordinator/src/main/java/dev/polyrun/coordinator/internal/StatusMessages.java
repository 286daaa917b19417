package dev.polyrun.coordinator.internal;

import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.GrpcServerResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Writes a status's {@code grpc-message} as the gRPC spec says: the UTF-8 bytes, each byte outside
 * 0x20-0x7E and {@code %} itself percent-encoded, everything else as it is. Vert.x 5.0.1
 * URL-encodes the message instead (spaces, {@code , ; : ' (} all become {@code %XX}), which
 * grpc-java decodes but other clients (grpc-js among them) show as they are. Vert.x writes no
 * message of its own when a call ends without one and keeps a {@code grpc-message} already among
 * the trailers, so the message goes there, encoded here, and the status goes without one.
 */
final class StatusMessages {
  static final String GRPC_MESSAGE = "grpc-message";
  static final String DETAILS = "grpc-status-details-bin";
  private static final Metadata.Key<String> MESSAGE_KEY =
      Metadata.Key.of(GRPC_MESSAGE, Metadata.ASCII_STRING_MARSHALLER);
  private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

  private StatusMessages() {}

  /** {@code message} as a {@code grpc-message} value (percent-encoding, as the spec defines it). */
  static String encode(String message) {
    byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[bytes.length * 3];
    int n = 0;
    for (byte b : bytes) {
      int c = b & 0xff;
      if (c >= 0x20 && c <= 0x7e && c != '%') {
        out[n++] = b;
      } else {
        out[n++] = '%';
        out[n++] = HEX[c >> 4];
        out[n++] = HEX[c & 0xf];
      }
    }
    return new String(out, 0, n, StandardCharsets.US_ASCII);
  }

  /** An interceptor that moves every failed call's description into a spec-encoded trailer. */
  static ServerInterceptor interceptor() {
    return new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(
          ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        return next.startCall(
            new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
              @Override
              public void close(Status status, Metadata trailers) {
                if (status.isOk() || status.getDescription() == null) {
                  super.close(status, trailers);
                  return;
                }
                trailers.discardAll(MESSAGE_KEY);
                trailers.put(MESSAGE_KEY, encode(status.getDescription()));
                super.close(status.withDescription(null), trailers);
              }
            },
            headers);
      }
    };
  }

  /**
   * Ends a call of the Vert.x gRPC server (one that no grpc-java service handles) with {@code
   * refusal}: its code, its message encoded as the spec says and its google.rpc.Status details.
   */
  static void end(GrpcServerResponse<?, ?> response, StatusRuntimeException refusal) {
    Status status = refusal.getStatus();
    response.status(GrpcStatus.valueOf(status.getCode().value()));
    if (status.getDescription() != null) {
      response.trailers().set(GRPC_MESSAGE, encode(status.getDescription()));
    }
    com.google.rpc.Status details = StatusProto.fromThrowable(refusal);
    if (details != null) {
      response
          .trailers()
          .set(DETAILS, Base64.getEncoder().withoutPadding().encodeToString(details.toByteArray()));
    }
    response.end();
  }
}
