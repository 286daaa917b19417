package dev.polyrun.telemetry;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * W3C {@code traceparent} strings ({@code 00-<32 hex trace id>-<16 hex span id>-<2 hex flags>}),
 * the form in which a span's context travels in gRPC metadata and in a job's record.
 */
public final class TraceParents {
  private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();
  private static final TextMapGetter<Map<String, String>> GET =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
          return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
          return carrier == null ? null : carrier.get(key);
        }
      };
  private static final TextMapSetter<Map<String, String>> SET = Map::put;

  private TraceParents() {}

  /** The {@code traceparent} of {@code context}'s span, or "" when it has no valid span. */
  public static String of(Context context) {
    Map<String, String> carrier = new HashMap<>();
    W3C.inject(context, carrier, SET);
    return carrier.getOrDefault("traceparent", "");
  }

  /** The {@code traceparent} of {@code span}, or "" when its context is not valid. */
  public static String of(SpanContext span) {
    return span.isValid() ? of(Context.root().with(Span.wrap(span))) : "";
  }

  /**
   * A context whose parent is the remote span of {@code traceparent}; {@link Context#root()} when
   * it is empty or malformed (a new trace then starts).
   */
  public static Context parent(String traceparent) {
    if (traceparent == null || traceparent.isEmpty()) {
      return Context.root();
    }
    return W3C.extract(Context.root(), Map.of("traceparent", traceparent), GET);
  }

  /** The trace id of {@code traceparent}, or "" when it is empty or malformed. */
  public static String traceId(String traceparent) {
    SpanContext span = Span.fromContext(parent(traceparent)).getSpanContext();
    return span.isValid() ? span.getTraceId() : "";
  }

  /** The W3C header names, for a propagator's {@code fields()}. */
  public static List<String> fields() {
    return List.copyOf(W3C.fields());
  }
}
