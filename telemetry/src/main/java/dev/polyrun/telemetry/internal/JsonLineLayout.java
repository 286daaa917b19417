package dev.polyrun.telemetry.internal;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.LayoutBase;
import dev.polyrun.telemetry.Logging;
import java.util.Map;

/**
 * One JSON object per line, for log shippers: {@code timestamp}, {@code level}, {@code process},
 * {@code thread}, {@code logger}, {@code message}, then {@code job_id}, {@code attempt}, {@code
 * trace_id} and {@code span_id} when present, and {@code exception} (the stack trace) when there is
 * one.
 */
public final class JsonLineLayout extends LayoutBase<ILoggingEvent> {
  @Override
  public String doLayout(ILoggingEvent event) {
    StringBuilder json = new StringBuilder(200).append('{');
    field(json, "timestamp", LineFields.time(event));
    field(json, "level", event.getLevel().toString());
    field(json, "process", Logging.process());
    field(json, "thread", event.getThreadName());
    field(json, "logger", event.getLoggerName());
    field(json, "message", event.getFormattedMessage());
    Map<String, String> mdc = LineFields.mdc(event);
    for (String key : LineFields.IDS) {
      String value = mdc.get(key);
      if (value != null && !value.isEmpty()) {
        field(json, key, value);
      }
    }
    String stack = LineFields.throwable(event);
    if (stack != null) {
      field(json, "exception", stack);
    }
    json.setCharAt(json.length() - 1, '}');
    return json.append(System.lineSeparator()).toString();
  }

  private static void field(StringBuilder json, String key, String value) {
    json.append('"').append(key).append("\":");
    quote(json, value == null ? "" : value);
    json.append(',');
  }

  /** JSON string escaping (RFC 8259): quotes, backslashes and control characters. */
  static void quote(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
