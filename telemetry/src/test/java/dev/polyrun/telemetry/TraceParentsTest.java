package dev.polyrun.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import org.junit.jupiter.api.Test;

class TraceParentsTest {
  private static final String PARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

  @Test
  void aTraceParentBecomesARemoteParentAndBackUnchanged() {
    Context parent = TraceParents.parent(PARENT);
    SpanContext span = Span.fromContext(parent).getSpanContext();

    assertThat(span.isRemote()).isTrue();
    assertThat(span.getTraceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(span.getSpanId()).isEqualTo("00f067aa0ba902b7");
    assertThat(TraceParents.of(parent)).isEqualTo(PARENT);
    assertThat(TraceParents.of(span)).isEqualTo(PARENT);
    assertThat(TraceParents.traceId(PARENT)).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
  }

  @Test
  void anEmptyOrMalformedTraceParentStartsANewTrace() {
    for (String bad :
        new String[] {
          "",
          null,
          "00-zz-00f067aa0ba902b7-01",
          "00-00000000000000000000000000000000-00f067aa0ba902b7-01"
        }) {
      assertThat(Span.fromContext(TraceParents.parent(bad)).getSpanContext().isValid())
          .as(bad)
          .isFalse();
      assertThat(TraceParents.traceId(bad)).as(bad).isEmpty();
    }
    assertThat(TraceParents.of(Context.root())).isEmpty();
  }
}
