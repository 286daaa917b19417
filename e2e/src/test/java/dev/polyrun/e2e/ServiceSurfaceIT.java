package dev.polyrun.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What a generic client and an operator see: reflection, gRPC health, HTTP health and metrics. */
class ServiceSurfaceIT {
  @RegisterExtension static final ClusterExtension cluster = ClusterExtension.standard();
  private static final HttpClient http = HttpClient.newHttpClient();

  @Test
  void reflectionAnswersSeveralRequestsOnOneStreamAsGrpcurlSendsThem() throws Exception {
    java.util.concurrent.LinkedBlockingQueue<ServerReflectionResponse> answers =
        new java.util.concurrent.LinkedBlockingQueue<>();
    StreamObserver<ServerReflectionRequest> stream =
        ServerReflectionGrpc.newStub(cluster.get().channel)
            .serverReflectionInfo(
                new StreamObserver<>() {
                  @Override
                  public void onNext(ServerReflectionResponse value) {
                    answers.add(value);
                  }

                  @Override
                  public void onError(Throwable t) {}

                  @Override
                  public void onCompleted() {}
                });

    stream.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
    ServerReflectionResponse services = answers.poll(10, TimeUnit.SECONDS);
    stream.onNext(
        ServerReflectionRequest.newBuilder()
            .setFileContainingSymbol("polyrun.v1.ExecutorService")
            .build());
    ServerReflectionResponse file = answers.poll(10, TimeUnit.SECONDS);
    stream.onCompleted();

    assertThat(services).isNotNull();
    assertThat(services.getListServicesResponse().getServiceList())
        .extracting(ServiceResponse::getName)
        .contains("polyrun.v1.ExecutorService", "grpc.health.v1.Health");
    assertThat(file).isNotNull();
    List<String> methods = new ArrayList<>();
    for (var bytes : file.getFileDescriptorResponse().getFileDescriptorProtoList()) {
      FileDescriptorProto proto = FileDescriptorProto.parseFrom(bytes);
      proto.getServiceList().forEach(s -> s.getMethodList().forEach(m -> methods.add(m.getName())));
    }
    assertThat(methods)
        .contains("Submit", "Execute", "StreamEvents", "GetJob", "CancelJob", "ListLanguages");
  }

  @Test
  void grpcHealthReportsServingWhileRedisAnswers() {
    HealthCheckResponse health =
        HealthGrpc.newBlockingStub(cluster.get().channel)
            .check(
                HealthCheckRequest.newBuilder().setService("polyrun.v1.ExecutorService").build());

    assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
  }

  private static HttpResponse<String> get(String path) throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + cluster.get().coordinator.httpPort() + path);
    return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void httpHealthAndReadinessAnswer() throws Exception {
    assertThat(get("/healthz").statusCode()).isEqualTo(200);
    assertThat(get("/readyz").statusCode()).isEqualTo(200);
    assertThat(get("/nope").statusCode()).isEqualTo(404);
  }

  @Test
  void metricsCountSubmissionsByLanguageAndShowQueueDepth() throws Exception {
    var request =
        dev.polyrun.proto.v1.ExecuteRequest.newBuilder()
            .setLanguage("python")
            .addFiles(
                dev.polyrun.proto.v1.SourceFile.newBuilder()
                    .setContent(com.google.protobuf.ByteString.copyFromUtf8("print(1)")))
            .build();
    cluster.blocking().execute(request).forEachRemaining(e -> {});

    HttpResponse<String> metrics = get("/metrics");

    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body())
        .containsPattern(
            "polyrun_submissions_total\\{[^}]*language=\"python\"[^}]*outcome=\"accepted\"[^}]*\\} [1-9]")
        .contains("polyrun_queue_depth{");
  }
}
