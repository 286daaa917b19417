package dev.polyrun.telemetry.internal;

import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongUpDownCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** The instruments and attribute names both sides of a gRPC call share. */
final class RpcInstruments {
  static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("rpc.system");
  static final AttributeKey<String> SERVICE = AttributeKey.stringKey("rpc.service");
  static final AttributeKey<String> METHOD = AttributeKey.stringKey("rpc.method");
  static final AttributeKey<Long> STATUS = AttributeKey.longKey("rpc.grpc.status_code");

  /** Milliseconds; from a quick unary call to a stream that follows a long job. */
  static final List<Double> BUCKETS_MS =
      List.of(
          1.0, 2.0, 5.0, 10.0, 25.0, 50.0, 100.0, 250.0, 500.0, 1000.0, 2500.0, 5000.0, 10000.0,
          30000.0, 60000.0, 300000.0);

  /** Codes that say the service failed, not the caller (a span with them is an error). */
  private static final Set<Status.Code> SERVER_FAULTS =
      EnumSet.of(
          Status.Code.UNKNOWN,
          Status.Code.INTERNAL,
          Status.Code.UNAVAILABLE,
          Status.Code.DATA_LOSS,
          Status.Code.UNIMPLEMENTED,
          Status.Code.DEADLINE_EXCEEDED);

  final Tracer tracer;
  final DoubleHistogram duration;
  final LongUpDownCounter active;

  RpcInstruments(OpenTelemetry otel, String side) {
    tracer = otel.getTracer("polyrun.grpc");
    Meter meter = otel.getMeter("polyrun.grpc");
    duration =
        meter
            .histogramBuilder("rpc." + side + ".duration")
            .setUnit("ms")
            .setDescription("Duration of gRPC calls, to the last message of a stream")
            .setExplicitBucketBoundariesAdvice(BUCKETS_MS)
            .build();
    active =
        meter
            .upDownCounterBuilder("polyrun.rpc." + side + ".active")
            .setUnit("{call}")
            .setDescription("gRPC calls in progress (open streams included)")
            .build();
  }

  static Attributes method(MethodDescriptor<?, ?> descriptor) {
    String service = descriptor.getServiceName();
    return Attributes.of(
        SYSTEM,
        "grpc",
        SERVICE,
        service == null ? "" : service,
        METHOD,
        descriptor.getBareMethodName() == null ? "" : descriptor.getBareMethodName());
  }

  static void end(Span span, Status status, boolean serverSide) {
    span.setAttribute(STATUS, (long) status.getCode().value());
    if (serverSide ? SERVER_FAULTS.contains(status.getCode()) : !status.isOk()) {
      span.setStatus(
          StatusCode.ERROR,
          status.getCode()
              + (status.getDescription() == null ? "" : ": " + status.getDescription()));
    }
    span.end();
  }
}
