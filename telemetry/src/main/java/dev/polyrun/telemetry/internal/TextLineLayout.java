package dev.polyrun.telemetry.internal;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.LayoutBase;
import dev.polyrun.telemetry.Logging;
import java.util.Map;

/**
 * {@code 2025-01-31T12:00:00.123Z INFO polyrun-worker [polyrun-slot-0] JobRunner - message
 * job_id=... trace_id=... span_id=...}, then the stack trace of an exception.
 */
public final class TextLineLayout extends LayoutBase<ILoggingEvent> {
  @Override
  public String doLayout(ILoggingEvent event) {
    StringBuilder line =
        new StringBuilder(160)
            .append(LineFields.time(event))
            .append(' ')
            .append(String.format("%-5s", event.getLevel()))
            .append(' ')
            .append(Logging.process())
            .append(" [")
            .append(event.getThreadName())
            .append("] ")
            .append(LineFields.shortLogger(event.getLoggerName()))
            .append(" - ")
            .append(event.getFormattedMessage());
    Map<String, String> mdc = LineFields.mdc(event);
    for (String key : LineFields.IDS) {
      String value = mdc.get(key);
      if (value != null && !value.isEmpty()) {
        line.append(' ').append(key).append('=').append(value);
      }
    }
    line.append(System.lineSeparator());
    String stack = LineFields.throwable(event);
    if (stack != null) {
      line.append(stack);
    }
    return line.toString();
  }
}
