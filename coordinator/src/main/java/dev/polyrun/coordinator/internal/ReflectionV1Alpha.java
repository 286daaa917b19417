package dev.polyrun.coordinator.internal;

import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.Status;
import io.grpc.reflection.v1alpha.ServerReflectionGrpc;
import io.grpc.reflection.v1alpha.ServerReflectionRequest;
import io.grpc.reflection.v1alpha.ServerReflectionResponse;
import io.grpc.stub.StreamObserver;

/**
 * Server reflection in its older package, grpc.reflection.v1alpha, which most tools still speak
 * (grpc-java's ProtoReflectionService clients, GUI clients, grpc-js reflection clients by default).
 * Its messages are wire-identical to grpc.reflection.v1's, so each request is answered by the v1
 * service through its bytes: both versions always give the same answers.
 */
public final class ReflectionV1Alpha extends ServerReflectionGrpc.ServerReflectionImplBase {
  private final ReflectionServiceImpl v1;

  /** Answers with {@code v1}'s answers. */
  public ReflectionV1Alpha(ReflectionServiceImpl v1) {
    this.v1 = v1;
  }

  @Override
  public StreamObserver<ServerReflectionRequest> serverReflectionInfo(
      StreamObserver<ServerReflectionResponse> out) {
    return new StreamObserver<>() {
      @Override
      public void onNext(ServerReflectionRequest request) {
        try {
          out.onNext(answer(request));
        } catch (InvalidProtocolBufferException e) {
          out.onError(
              Status.INTERNAL
                  .withDescription("reflection: " + e.getMessage())
                  .asRuntimeException());
        }
      }

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {
        out.onCompleted();
      }
    };
  }

  ServerReflectionResponse answer(ServerReflectionRequest request)
      throws InvalidProtocolBufferException {
    io.grpc.reflection.v1.ServerReflectionResponse answer =
        v1.answer(io.grpc.reflection.v1.ServerReflectionRequest.parseFrom(request.toByteString()));
    return ServerReflectionResponse.parseFrom(answer.toByteString());
  }
}
