package dev.polyrun.queue;

import dev.polyrun.proto.v1.Language;
import dev.polyrun.proto.v1.LanguageVersion;
import java.util.ArrayList;
import java.util.List;

/**
 * Names of the queues jobs wait in, before sharding: each version of a language has a queue of its
 * own ({@code python@3.13}, {@code python@3.11}), which the coordinator sends a job to once it
 * resolved the version (an empty selector to the default); the language's own queue ({@code
 * python}) holds the jobs submitted without a resolved version (by tools that use the queue
 * directly), for the workers that have the default version. A worker reads the queues of the
 * versions it has images of, so a fleet whose workers have different versions of a language, or
 * disagree on which is the default, runs each job on a worker that has its version.
 */
public final class QueueNames {
  /** Separates a language from its version selector in a queue name. */
  public static final char VERSION = '@';

  private QueueNames() {}

  /** The queue of {@code language}'s jobs for {@code version} ("" for the language's own queue). */
  public static String of(String language, String version) {
    return version == null || version.isEmpty() ? language : language + VERSION + version;
  }

  /**
   * The queues a worker reads for one of its versions: the version's, and the language's own when
   * it is the default.
   */
  public static List<String> forVersion(String language, String selector, boolean isDefault) {
    return isDefault ? List.of(of(language, selector), language) : List.of(of(language, selector));
  }

  /** The queues a worker that advertises {@code language} reads. */
  public static List<String> served(Language language) {
    if (language.getVersionsCount() == 0) {
      return List.of(language.getName()); // a worker older than versions reads its language's queue
    }
    List<String> queues = new ArrayList<>();
    for (LanguageVersion v : language.getVersionsList()) {
      queues.addAll(forVersion(language.getName(), v.getName(), v.getIsDefault()));
    }
    return queues;
  }
}
