package dev.polyrun.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A real gRPC server and client on loopback, each with its own SDK, as two processes would be. */
class GrpcTelemetryTest {
  private final InMemorySpanExporter clientSpans = InMemorySpanExporter.create();
  private final InMemorySpanExporter serverSpans = InMemorySpanExporter.create();
  private final InMemoryMetricReader serverMetrics = InMemoryMetricReader.create();
  private OpenTelemetrySdk client;
  private OpenTelemetrySdk server;
  private Server grpc;
  private ManagedChannel channel;

  @BeforeEach
  void start() throws Exception {
    client =
        OpenTelemetrySdk.builder()
            .setTracerProvider(
                SdkTracerProvider.builder()
                    .addSpanProcessor(SimpleSpanProcessor.create(clientSpans))
                    .build())
            .build();
    server =
        OpenTelemetrySdk.builder()
            .setTracerProvider(
                SdkTracerProvider.builder()
                    .addSpanProcessor(SimpleSpanProcessor.create(serverSpans))
                    .build())
            .setMeterProvider(
                SdkMeterProvider.builder().registerMetricReader(serverMetrics).build())
            .build();
    HealthStatusManager health = new HealthStatusManager();
    grpc =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(
                ServerInterceptors.intercept(
                    health.getHealthService(), GrpcTelemetry.server(server)))
            .build()
            .start();
    channel =
        NettyChannelBuilder.forAddress("127.0.0.1", grpc.getPort())
            .usePlaintext()
            .intercept(GrpcTelemetry.client(client))
            .build();
  }

  @AfterEach
  void stop() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    grpc.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    client.close();
    server.close();
  }

  @Test
  void theServerSpanContinuesTheClientsTraceAndTheCallIsMeasuredByMethodAndStatus() {
    HealthGrpc.newBlockingStub(channel).check(HealthCheckRequest.getDefaultInstance());

    SpanData call = only(clientSpans.getFinishedSpanItems());
    SpanData served = only(serverSpans.getFinishedSpanItems());
    assertThat(call.getKind()).isEqualTo(SpanKind.CLIENT);
    assertThat(served.getKind()).isEqualTo(SpanKind.SERVER);
    assertThat(served.getName()).isEqualTo("grpc.health.v1.Health/Check");
    assertThat(served.getTraceId()).isEqualTo(call.getTraceId());
    assertThat(served.getParentSpanId()).isEqualTo(call.getSpanId());
    MetricData duration =
        serverMetrics.collectAllMetrics().stream()
            .filter(m -> m.getName().equals("rpc.server.duration"))
            .findFirst()
            .orElseThrow();
    assertThat(duration.getUnit()).isEqualTo("ms");
    assertThat(duration.getHistogramData().getPoints())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getCount()).isEqualTo(1);
              assertThat(p.getAttributes().asMap().toString())
                  .contains(
                      "rpc.method=Check",
                      "rpc.grpc.status_code=0",
                      "rpc.service=grpc.health.v1.Health");
            });
  }

  @Test
  void aFailedCallRecordsItsStatusCode() {
    try {
      HealthGrpc.newBlockingStub(channel)
          .check(HealthCheckRequest.newBuilder().setService("nope").build());
    } catch (io.grpc.StatusRuntimeException expected) {
      // NOT_FOUND
    }

    SpanData served = only(serverSpans.getFinishedSpanItems());
    assertThat(served.getAttributes().asMap().toString()).contains("rpc.grpc.status_code=5");
  }

  private static SpanData only(List<SpanData> spans) {
    assertThat(spans).hasSize(1);
    return spans.get(0);
  }
}
