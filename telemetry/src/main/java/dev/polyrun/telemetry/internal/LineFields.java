package dev.polyrun.telemetry.internal;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

/** What a log line holds besides the message, shared by the text and JSON layouts. */
final class LineFields {
  /** MDC keys written on a line when present, in this order. */
  static final List<String> IDS = List.of("job_id", "attempt", "trace_id", "span_id");

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSXXX").withZone(ZoneOffset.UTC);

  private LineFields() {}

  static String time(ILoggingEvent event) {
    return TIME.format(Instant.ofEpochMilli(event.getTimeStamp()));
  }

  static String shortLogger(String name) {
    int dot = name.lastIndexOf('.');
    return dot < 0 ? name : name.substring(dot + 1);
  }

  static Map<String, String> mdc(ILoggingEvent event) {
    Map<String, String> mdc = event.getMDCPropertyMap();
    return mdc == null ? Map.of() : mdc;
  }

  /** The stack trace, or null without an exception. */
  static String throwable(ILoggingEvent event) {
    IThrowableProxy proxy = event.getThrowableProxy();
    return proxy == null ? null : ThrowableProxyUtil.asString(proxy);
  }
}
