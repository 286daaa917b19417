package dev.polyrun.worker.internal.telemetry;

import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;

/** The job a slot thread is running, carried in the OpenTelemetry context for the stage spans. */
final class JobContext {
  private static final ContextKey<String> LANGUAGE = ContextKey.named("polyrun-job-language");

  private JobContext() {}

  static Context withLanguage(Context context, String language) {
    return context.with(LANGUAGE, language);
  }

  /** The current job's language, or "unknown" outside a job. */
  static String language() {
    String language = Context.current().get(LANGUAGE);
    return language == null ? "unknown" : language;
  }
}
