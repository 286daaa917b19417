package dev.polyrun.telemetry;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.jul.LevelChangePropagator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import dev.polyrun.telemetry.internal.JsonLineLayout;
import dev.polyrun.telemetry.internal.TextLineLayout;
import io.opentelemetry.instrumentation.logback.appender.v1_0.OpenTelemetryAppender;
import java.util.Locale;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * The log format of every polyrun process: one line per event with its timestamp, level, process,
 * thread, logger and message, then the job id and the trace and span ids when there are some
 * ({@link #JOB_ID} in the MDC; the ids of the span current when the line was logged). Lines go to
 * standard error as text or, for log shippers, as one JSON object per line; and to the
 * OpenTelemetry SDK, which exports them by OTLP when configured.
 *
 * <p>Chosen at start by {@code POLYRUN_LOG_FORMAT} ({@code text} or {@code json}) and {@code
 * POLYRUN_LOG_LEVEL} (or the system properties {@code polyrun.log.format} and {@code
 * polyrun.log.level}); a {@code logback.xml} on the class path or named by {@code
 * -Dlogback.configurationFile} replaces all of it.
 */
public final class Logging {
  /** MDC key of the job a line is about. */
  public static final String JOB_ID = "job_id";

  private static volatile String process = "polyrun";

  private Logging() {}

  /** The process name written on each line (the service name once telemetry started). */
  public static String process() {
    return process;
  }

  static void process(String name) {
    process = name;
  }

  /**
   * Sets the format and level (null keeps the environment's choice) of the running process.
   *
   * @throws IllegalArgumentException for an unknown format or level
   */
  public static void apply(String format, String level) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return; // another SLF4J provider is in charge
    }
    configure(
        context,
        format == null ? setting("format", "text") : format,
        level == null ? setting("level", "info") : level);
  }

  /** Configures {@code context} from the environment; used when logback starts. */
  public static void configureFromEnvironment(LoggerContext context) {
    configure(context, setting("format", "text"), setting("level", "info"));
  }

  private static String setting(String name, String fallback) {
    String env = System.getenv("POLYRUN_LOG_" + name.toUpperCase(Locale.ROOT));
    if (env != null && !env.isBlank()) {
      return env.strip();
    }
    return System.getProperty("polyrun.log." + name, fallback);
  }

  /** The OpenTelemetry SDK logs through java.util.logging: its lines get the same format. */
  private static void bridgeJavaUtilLogging(LoggerContext context) {
    LevelChangePropagator propagator = new LevelChangePropagator();
    propagator.setContext(context);
    propagator.setResetJUL(true);
    propagator.start();
    context.addListener(propagator);
    if (!SLF4JBridgeHandler.isInstalled()) {
      SLF4JBridgeHandler.removeHandlersForRootLogger();
      SLF4JBridgeHandler.install();
    }
  }

  /**
   * Configures {@code context} with {@code format} ({@code text} or {@code json}) and {@code
   * levelName}, replacing its appenders.
   *
   * @throws IllegalArgumentException for an unknown format or level
   */
  public static void configure(LoggerContext context, String format, String levelName) {
    Level level = Level.toLevel(levelName.toUpperCase(Locale.ROOT), null);
    if (level == null) {
      throw new IllegalArgumentException(
          "log.level: '" + levelName + "' (expected: trace, debug, info, warn or error)");
    }
    ch.qos.logback.core.LayoutBase<ILoggingEvent> layout =
        switch (format.strip().toLowerCase(Locale.ROOT)) {
          case "text" -> new TextLineLayout();
          case "json" -> new JsonLineLayout();
          default ->
              throw new IllegalArgumentException(
                  "log.format: '" + format + "' (expected: text or json)");
        };
    context.reset();
    layout.setContext(context);
    layout.start();
    LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
    encoder.setContext(context);
    encoder.setLayout(layout);
    encoder.start();
    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(context);
    console.setName("console");
    console.setTarget("System.err");
    console.setEncoder(encoder);
    console.start();
    // adds the current span's trace_id and span_id to each event's MDC before the line is written
    io.opentelemetry.instrumentation.logback.mdc.v1_0.OpenTelemetryAppender withIds =
        new io.opentelemetry.instrumentation.logback.mdc.v1_0.OpenTelemetryAppender();
    withIds.setContext(context);
    withIds.setName("console-with-trace-ids");
    withIds.addAppender(console);
    withIds.start();
    OpenTelemetryAppender otlp = new OpenTelemetryAppender();
    otlp.setContext(context);
    otlp.setName("opentelemetry");
    otlp.setMdcAttributesIncluded(JOB_ID);
    otlp.start();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(level);
    root.addAppender(withIds);
    root.addAppender(otlp);
    // the SDK's own complaints (an unreachable collector) go to the console only: exporting them
    // by OTLP could feed a failing exporter with news of its failure
    Logger sdk = context.getLogger("io.opentelemetry");
    sdk.setAdditive(false);
    sdk.addAppender(withIds);
    context.getLogger("io.opentelemetry.sdk.resources").setLevel(Level.ERROR);
    bridgeJavaUtilLogging(context);
    // chatty at INFO and below, about their own machinery
    for (String noisy :
        new String[] {"io.netty", "io.grpc.netty", "io.vertx.core.impl", "io.opentelemetry.sdk"}) {
      context.getLogger(noisy).setLevel(level.isGreaterOrEqual(Level.WARN) ? level : Level.WARN);
    }
  }
}
