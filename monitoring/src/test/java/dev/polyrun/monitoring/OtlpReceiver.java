package dev.polyrun.monitoring;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.logs.v1.LogsServiceGrpc;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * An OTLP/gRPC collector in the test: keeps every span, metric name and log record it receives,
 * each with the {@code service.name} of the process that sent it. Listens on loopback only.
 */
final class OtlpReceiver implements AutoCloseable {
  /** A received span. */
  record ReceivedSpan(
      String service,
      String traceId,
      String spanId,
      String parentSpanId,
      String name,
      List<KeyValue> attributes) {
    Optional<String> attribute(String key) {
      return attributes.stream()
          .filter(a -> a.getKey().equals(key))
          .map(a -> text(a.getValue()))
          .findFirst();
    }
  }

  /** A received metric's name and its sender. */
  record ReceivedMetric(String service, String name) {}

  /** A received log record's body and its sender, trace id and attributes. */
  record ReceivedLog(String service, String body, String traceId, List<KeyValue> attributes) {}

  final List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();
  final List<ReceivedMetric> metrics = new CopyOnWriteArrayList<>();
  final List<ReceivedLog> logs = new CopyOnWriteArrayList<>();
  private final Server server;

  OtlpReceiver() throws IOException {
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(
                new TraceServiceGrpc.TraceServiceImplBase() {
                  @Override
                  public void export(
                      ExportTraceServiceRequest request,
                      StreamObserver<ExportTraceServiceResponse> response) {
                    request
                        .getResourceSpansList()
                        .forEach(
                            rs ->
                                rs.getScopeSpansList()
                                    .forEach(
                                        ss ->
                                            ss.getSpansList()
                                                .forEach(
                                                    s ->
                                                        spans.add(
                                                            new ReceivedSpan(
                                                                service(rs.getResource()),
                                                                hex(s.getTraceId().toByteArray()),
                                                                hex(s.getSpanId().toByteArray()),
                                                                hex(
                                                                    s.getParentSpanId()
                                                                        .toByteArray()),
                                                                s.getName(),
                                                                s.getAttributesList())))));
                    response.onNext(ExportTraceServiceResponse.getDefaultInstance());
                    response.onCompleted();
                  }
                })
            .addService(
                new MetricsServiceGrpc.MetricsServiceImplBase() {
                  @Override
                  public void export(
                      ExportMetricsServiceRequest request,
                      StreamObserver<ExportMetricsServiceResponse> response) {
                    request
                        .getResourceMetricsList()
                        .forEach(
                            rm ->
                                rm.getScopeMetricsList()
                                    .forEach(
                                        sm ->
                                            sm.getMetricsList()
                                                .forEach(
                                                    m ->
                                                        metrics.add(
                                                            new ReceivedMetric(
                                                                service(rm.getResource()),
                                                                m.getName())))));
                    response.onNext(ExportMetricsServiceResponse.getDefaultInstance());
                    response.onCompleted();
                  }
                })
            .addService(
                new LogsServiceGrpc.LogsServiceImplBase() {
                  @Override
                  public void export(
                      ExportLogsServiceRequest request,
                      StreamObserver<ExportLogsServiceResponse> response) {
                    request
                        .getResourceLogsList()
                        .forEach(
                            rl ->
                                rl.getScopeLogsList()
                                    .forEach(
                                        sl ->
                                            sl.getLogRecordsList()
                                                .forEach(
                                                    l ->
                                                        logs.add(
                                                            new ReceivedLog(
                                                                service(rl.getResource()),
                                                                text(l.getBody()),
                                                                hex(l.getTraceId().toByteArray()),
                                                                l.getAttributesList())))));
                    response.onNext(ExportLogsServiceResponse.getDefaultInstance());
                    response.onCompleted();
                  }
                })
            .build()
            .start();
  }

  String endpoint() {
    return "http://127.0.0.1:" + server.getPort();
  }

  private static String service(Resource resource) {
    return resource.getAttributesList().stream()
        .filter(a -> a.getKey().equals("service.name"))
        .map(a -> a.getValue().getStringValue())
        .findFirst()
        .orElse("");
  }

  static String text(AnyValue value) {
    return switch (value.getValueCase()) {
      case STRING_VALUE -> value.getStringValue();
      case INT_VALUE -> Long.toString(value.getIntValue());
      case BOOL_VALUE -> Boolean.toString(value.getBoolValue());
      case DOUBLE_VALUE -> Double.toString(value.getDoubleValue());
      default -> value.toString();
    };
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }
}
