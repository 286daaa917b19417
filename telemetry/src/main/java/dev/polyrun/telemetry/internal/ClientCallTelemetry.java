package dev.polyrun.telemetry.internal;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall.SimpleForwardingClientCall;
import io.grpc.ForwardingClientCallListener.SimpleForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;

/** The client side of {@link dev.polyrun.telemetry.GrpcTelemetry}. */
public final class ClientCallTelemetry implements ClientInterceptor {
  private final RpcInstruments instruments;

  public ClientCallTelemetry(OpenTelemetry otel) {
    this.instruments = new RpcInstruments(otel, "client");
  }

  @Override
  public <Q, R> ClientCall<Q, R> interceptCall(
      MethodDescriptor<Q, R> descriptor, CallOptions options, Channel next) {
    Attributes method = RpcInstruments.method(descriptor);
    Span span =
        instruments
            .tracer
            .spanBuilder(descriptor.getFullMethodName())
            .setSpanKind(SpanKind.CLIENT)
            .setAllAttributes(method)
            .startSpan();
    Context context = Context.current().with(span);
    long started = System.nanoTime();
    return new SimpleForwardingClientCall<>(next.newCall(descriptor, options)) {
      @Override
      public void start(Listener<R> listener, Metadata headers) {
        W3CTraceContextPropagator.getInstance()
            .inject(
                context,
                headers,
                (carrier, key, value) ->
                    carrier.put(Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER), value));
        instruments.active.add(1, method);
        super.start(
            new SimpleForwardingClientCallListener<>(listener) {
              @Override
              public void onClose(Status status, Metadata trailers) {
                instruments.active.add(-1, method);
                instruments.duration.record(
                    (System.nanoTime() - started) / 1e6,
                    method.toBuilder()
                        .put(RpcInstruments.STATUS, (long) status.getCode().value())
                        .build());
                RpcInstruments.end(span, status, false);
                super.onClose(status, trailers);
              }
            },
            headers);
      }
    };
  }
}
