package dev.polyrun.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.polyrun.proto.v1.SourceFile;
import dev.polyrun.proto.v1.SubmitRequest;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The coordinator-only mode of {@link ClusterExtension}: Redis and a coordinator, no worker. */
class ClusterExtensionIT {
  @RegisterExtension static final ClusterExtension cluster = ClusterExtension.coordinatorOnly();

  @Test
  void aCoordinatorOnlyClusterStartsNoWorkerAndItsCoordinatorIsServing() {
    HealthCheckResponse health =
        HealthGrpc.newBlockingStub(cluster.get().channel)
            .check(
                HealthCheckRequest.newBuilder().setService("polyrun.v1.ExecutorService").build());

    assertThat(cluster.get().workers).isEmpty();
    assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
  }

  @Test
  void withoutAWorkerASubmissionIsRefusedSayingNoWorkerHasAdvertisedALanguage() {
    SubmitRequest request =
        SubmitRequest.newBuilder()
            .setLanguage("python")
            .addFiles(SourceFile.newBuilder().setContent(ByteString.copyFromUtf8("print(1)")))
            .build();

    assertThatThrownBy(() -> cluster.blocking().submit(request))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e ->
                assertThat(e.getStatus().getDescription())
                    .isEqualTo("no worker has advertised a language yet; start a worker"));
  }

  @Test
  void aTestMethodsLocalClusterParameterIsTheExtensionsCluster(LocalCluster injected) {
    assertThat(injected).isSameAs(cluster.get());
  }
}
