package dev.polyrun.queue;

/**
 * Names of the queues jobs wait in, before sharding: a language's own queue ({@code python}) holds
 * the jobs of its default version; each other version has a queue of its own ({@code python@3.11}).
 * A worker reads the queues of the versions it has images of, so a fleet whose workers have
 * different versions of a language runs each job on a worker that has its version.
 */
public final class QueueNames {
  /** Separates a language from its version selector in a queue name. */
  public static final char VERSION = '@';

  private QueueNames() {}

  /** The queue of {@code language}'s jobs for {@code version} ("" for the language's own queue). */
  public static String of(String language, String version) {
    return version == null || version.isEmpty() ? language : language + VERSION + version;
  }

  /** The queue of the version {@code selector} of {@code language}: its own if it is the default. */
  public static String of(String language, String selector, boolean isDefault) {
    return isDefault ? language : of(language, selector);
  }

  /** The language whose jobs a queue (or one of its shards) holds. */
  public static String languageOf(String queue) {
    int at = queue.indexOf(VERSION);
    return dev.polyrun.queue.internal.Keys.languageOf(at < 0 ? queue : queue.substring(0, at));
  }
}
