package dev.polyrun.telemetry.internal;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.concurrent.atomic.AtomicBoolean;

/** The server side of {@link dev.polyrun.telemetry.GrpcTelemetry}. */
public final class ServerCallTelemetry implements ServerInterceptor {
  private static final TextMapGetter<Metadata> METADATA =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Metadata carrier) {
          return carrier.keys();
        }

        @Override
        public String get(Metadata carrier, String key) {
          return carrier == null
              ? null
              : carrier.get(Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER));
        }
      };
  private final RpcInstruments instruments;

  public ServerCallTelemetry(OpenTelemetry otel) {
    this.instruments = new RpcInstruments(otel, "server");
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    Context parent =
        W3CTraceContextPropagator.getInstance().extract(Context.root(), headers, METADATA);
    Attributes method = RpcInstruments.method(call.getMethodDescriptor());
    Span span =
        instruments
            .tracer
            .spanBuilder(call.getMethodDescriptor().getFullMethodName())
            .setParent(parent)
            .setSpanKind(SpanKind.SERVER)
            .setAllAttributes(method)
            .startSpan();
    Context context = parent.with(span);
    Finish finish = new Finish(span, method, System.nanoTime());
    instruments.active.add(1, method);
    ServerCall<Q, R> measured =
        new SimpleForwardingServerCall<>(call) {
          @Override
          public void close(Status status, Metadata trailers) {
            finish.run(status);
            super.close(status, trailers);
          }
        };
    ServerCall.Listener<Q> listener;
    try (Scope ignored = context.makeCurrent()) {
      listener = next.startCall(measured, headers);
    } catch (RuntimeException e) {
      finish.run(Status.fromThrowable(e));
      throw e;
    }
    return new SimpleForwardingServerCallListener<>(listener) {
      @Override
      public void onMessage(Q message) {
        try (Scope ignored = context.makeCurrent()) {
          super.onMessage(message);
        }
      }

      @Override
      public void onHalfClose() {
        try (Scope ignored = context.makeCurrent()) {
          super.onHalfClose();
        }
      }

      @Override
      public void onCancel() {
        try (Scope ignored = context.makeCurrent()) {
          super.onCancel();
        } finally {
          finish.run(
              Status.CANCELLED.withDescription("the client cancelled the call or went away"));
        }
      }

      @Override
      public void onComplete() {
        try (Scope ignored = context.makeCurrent()) {
          super.onComplete();
        }
      }

      @Override
      public void onReady() {
        try (Scope ignored = context.makeCurrent()) {
          super.onReady();
        }
      }
    };
  }

  /** Ends the call's span and records it once, whether it closed or was cancelled. */
  private final class Finish {
    private final Span span;
    private final Attributes method;
    private final long started;
    private final AtomicBoolean done = new AtomicBoolean();

    Finish(Span span, Attributes method, long started) {
      this.span = span;
      this.method = method;
      this.started = started;
    }

    void run(Status status) {
      if (!done.compareAndSet(false, true)) {
        return;
      }
      instruments.active.add(-1, method);
      instruments.duration.record(
          (System.nanoTime() - started) / 1e6,
          method.toBuilder().put(RpcInstruments.STATUS, (long) status.getCode().value()).build());
      RpcInstruments.end(span, status, true);
    }
  }
}
