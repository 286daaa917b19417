package dev.polyrun.telemetry.internal;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.core.spi.ContextAwareBase;
import dev.polyrun.telemetry.Logging;

/**
 * Logback's configuration when no {@code logback.xml} is found: ranked below logback's own file
 * search, above its bare console fallback.
 */
@ConfiguratorRank(value = -5)
public final class LogConfigurator extends ContextAwareBase implements Configurator {
  @Override
  public ExecutionStatus configure(LoggerContext context) {
    try {
      Logging.configureFromEnvironment(context);
    } catch (IllegalArgumentException e) {
      System.err.println("polyrun: " + e.getMessage() + "; logging as text at info");
      Logging.configure(context, "text", "info");
    }
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }
}
