package dev.polyrun.telemetry;

import dev.polyrun.telemetry.internal.ClientCallTelemetry;
import dev.polyrun.telemetry.internal.ServerCallTelemetry;
import io.grpc.ClientInterceptor;
import io.grpc.ServerInterceptor;
import io.opentelemetry.api.OpenTelemetry;

/**
 * gRPC instrumentation after the OpenTelemetry RPC conventions: a span per call (continuing the
 * caller's W3C {@code traceparent} metadata on the server, sending it from the client), and the
 * call duration histograms {@code rpc.server.duration} / {@code rpc.client.duration} (milliseconds,
 * by {@code rpc.service}, {@code rpc.method} and {@code rpc.grpc.status_code}).
 */
public final class GrpcTelemetry {
  private GrpcTelemetry() {}

  /**
   * Intercepts every call of a service: its span is current while the service's handlers run on the
   * calling thread; pass work to other threads with {@code Context.taskWrapping(executor)}.
   */
  public static ServerInterceptor server(OpenTelemetry otel) {
    return new ServerCallTelemetry(otel);
  }

  /** Intercepts a client's calls: a client span, the {@code traceparent} metadata, the duration. */
  public static ClientInterceptor client(OpenTelemetry otel) {
    return new ClientCallTelemetry(otel);
  }
}
