package dev.polyrun.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Message;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Server reflection in both versions that tools speak, several requests on one stream. */
class ReflectionIT {
  @RegisterExtension static final TestCoordinator cluster = new TestCoordinator();

  private static final List<String> SERVICES =
      List.of(
          "polyrun.v1.ExecutorService",
          "grpc.health.v1.Health",
          "grpc.reflection.v1.ServerReflection",
          "grpc.reflection.v1alpha.ServerReflection");

  /** Sends every request on one stream, each after the previous answer, as grpcurl does. */
  private static <Q, R> List<R> ask(
      Function<StreamObserver<R>, StreamObserver<Q>> open, List<Q> requests)
      throws InterruptedException {
    LinkedBlockingQueue<R> answers = new LinkedBlockingQueue<>();
    StreamObserver<Q> stream =
        open.apply(
            new StreamObserver<>() {
              @Override
              public void onNext(R value) {
                answers.add(value);
              }

              @Override
              public void onError(Throwable t) {}

              @Override
              public void onCompleted() {}
            });
    List<R> out = new ArrayList<>();
    for (Q request : requests) {
      stream.onNext(request);
      R answer = answers.poll(10, TimeUnit.SECONDS);
      assertThat(answer).as("answer to %s", request).isNotNull();
      out.add(answer);
    }
    stream.onCompleted();
    return out;
  }

  @Test
  void v1alphaListsEveryServiceAndDescribesTheExecutorOnOneStream() throws Exception {
    var stub = io.grpc.reflection.v1alpha.ServerReflectionGrpc.newStub(cluster.channel);
    List<io.grpc.reflection.v1alpha.ServerReflectionRequest> requests =
        List.of(
            io.grpc.reflection.v1alpha.ServerReflectionRequest.newBuilder()
                .setListServices("")
                .build(),
            io.grpc.reflection.v1alpha.ServerReflectionRequest.newBuilder()
                .setFileContainingSymbol("polyrun.v1.ExecutorService")
                .build(),
            io.grpc.reflection.v1alpha.ServerReflectionRequest.newBuilder()
                .setFileContainingSymbol("polyrun.v1.Nope")
                .build());

    var answers = ask(stub::serverReflectionInfo, requests);

    assertThat(answers.get(0).getListServicesResponse().getServiceList())
        .extracting(io.grpc.reflection.v1alpha.ServiceResponse::getName)
        .containsExactlyInAnyOrderElementsOf(SERVICES);
    List<String> files = new ArrayList<>();
    List<String> methods = new ArrayList<>();
    for (var bytes : answers.get(1).getFileDescriptorResponse().getFileDescriptorProtoList()) {
      FileDescriptorProto file = FileDescriptorProto.parseFrom(bytes);
      files.add(file.getName());
      file.getServiceList().forEach(s -> s.getMethodList().forEach(m -> methods.add(m.getName())));
    }
    assertThat(files)
        .as("the file and what it imports")
        .contains("polyrun/v1/executor.proto", "google/protobuf/timestamp.proto");
    assertThat(methods)
        .containsExactly(
            "Submit", "Execute", "StreamEvents", "GetJob", "CancelJob", "ListLanguages");
    assertThat(answers.get(2).getErrorResponse().getErrorCode())
        .isEqualTo(io.grpc.Status.Code.NOT_FOUND.value());
  }

  @Test
  void v1AndV1alphaGiveTheSameAnswers() throws Exception {
    var v1 =
        ask(
            io.grpc.reflection.v1.ServerReflectionGrpc.newStub(cluster.channel)
                ::serverReflectionInfo,
            List.of(
                io.grpc.reflection.v1.ServerReflectionRequest.newBuilder()
                    .setListServices("")
                    .build(),
                io.grpc.reflection.v1.ServerReflectionRequest.newBuilder()
                    .setFileByFilename("polyrun/v1/executor.proto")
                    .build()));
    var v1alpha =
        ask(
            io.grpc.reflection.v1alpha.ServerReflectionGrpc.newStub(cluster.channel)
                ::serverReflectionInfo,
            List.of(
                io.grpc.reflection.v1alpha.ServerReflectionRequest.newBuilder()
                    .setListServices("")
                    .build(),
                io.grpc.reflection.v1alpha.ServerReflectionRequest.newBuilder()
                    .setFileByFilename("polyrun/v1/executor.proto")
                    .build()));

    assertThat(v1.get(1).hasFileDescriptorResponse()).isTrue();
    assertThat(v1alpha.stream().map(Message::toByteString).toList())
        .isEqualTo(v1.stream().map(Message::toByteString).toList());
  }
}
