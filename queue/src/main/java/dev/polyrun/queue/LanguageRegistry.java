package dev.polyrun.queue;

import static dev.polyrun.queue.internal.Keys.bytes;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.polyrun.proto.v1.Language;
import dev.polyrun.proto.v1.LanguageVersion;
import dev.polyrun.queue.internal.Keys;
import dev.polyrun.queue.internal.RedisCalls;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import redis.clients.jedis.UnifiedJedis;

/**
 * The language registry as workers write it and clients read it. Each worker writes its view of a
 * language under a field named by the language and the versions it has, so that workers with
 * different versions of a language (a mixed fleet) do not overwrite each other, and marks the
 * queues it reads served; a read merges the views of a language into one entry, with every
 * version some worker advertised within the retention. Thread-safe.
 */
final class LanguageRegistry {
  private final UnifiedJedis redis;
  private final Keys keys;
  private final QueueOptions options;
  private final Clock clock;

  LanguageRegistry(UnifiedJedis redis, Keys keys, QueueOptions options, Clock clock) {
    this.redis = redis;
    this.keys = keys;
    this.options = options;
    this.clock = clock;
  }

  /** Writes a worker's languages and marks the queues of their versions served now. */
  void advertise(List<Language> languages) {
    if (languages.isEmpty()) {
      return;
    }
    Map<byte[], byte[]> fields = new HashMap<>();
    Map<String, Double> served = new HashMap<>();
    double now = clock.millis();
    for (Language language : languages) {
      fields.put(bytes(field(language)), language.toByteArray());
      for (LanguageVersion version : language.getVersionsList()) {
        served.put(QueueNames.of(language.getName(), version.getName(), version.getIsDefault()), now);
      }
      if (language.getVersionsCount() == 0) {
        served.put(language.getName(), now);
      }
    }
    byte[] key = bytes(keys.languages());
    RedisCalls.call(
        () -> {
          redis.hset(key, fields);
          redis.pexpire(key, options.languagesTtl().toMillis());
          redis.zadd(keys.served(), served);
          return redis.pexpire(keys.served(), options.languagesTtl().toMillis());
        });
  }

  /** The languages with a version advertised within the registry's retention, merged, by name. */
  List<Language> languages() {
    Map<byte[], byte[]> all = RedisCalls.call(() -> redis.hgetAll(bytes(keys.languages())));
    List<Language> views = new ArrayList<>();
    for (byte[] value : all.values()) {
      try {
        views.add(Language.parseFrom(value));
      } catch (InvalidProtocolBufferException e) {
        throw new QueueDataException("unreadable language registry entry: " + e.getMessage(), e);
      }
    }
    return merge(views, served(options.languagesTtl()));
  }

  /** The queues a worker advertised within {@code window}. */
  Set<String> served(Duration window) {
    double since = clock.millis() - window.toMillis();
    return new HashSet<>(RedisCalls.call(() -> redis.zrangeByScore(keys.served(), since, Double.POSITIVE_INFINITY)));
  }

  /** The registry field of one worker's view of a language: {@code python@3.13,3.11}. */
  static String field(Language language) {
    List<String> versions = language.getVersionsList().stream().map(LanguageVersion::getName).sorted().toList();
    return language.getName() + QueueNames.VERSION + String.join(",", versions);
  }

  /**
   * One entry per language, sorted by name: the versions of every view whose queue is in {@code
   * live} (each once, the default first), the top-level fields from the view that has the
   * default version (else from the first view). A language none of whose versions is live is left
   * out; a view without versions (an older worker's) counts as live when its language's queue is.
   */
  static List<Language> merge(Collection<Language> views, Set<String> live) {
    Map<String, List<Language>> byName = new TreeMap<>();
    views.stream()
        .sorted(Comparator.comparing(LanguageRegistry::field))
        .forEach(v -> byName.computeIfAbsent(v.getName(), n -> new ArrayList<>()).add(v));
    List<Language> merged = new ArrayList<>();
    byName.forEach((name, list) -> {
      Map<String, LanguageVersion> versions = new LinkedHashMap<>();
      Language top = null;
      for (Language view : list) {
        for (LanguageVersion v : view.getVersionsList()) {
          if (live.contains(QueueNames.of(name, v.getName(), v.getIsDefault())) && !versions.containsKey(v.getName())) {
            versions.put(v.getName(), v);
            if (v.getIsDefault()) {
              top = view;
            }
          }
        }
        if (view.getVersionsCount() == 0 && live.contains(name) && top == null) {
          top = view;
        }
      }
      if (versions.isEmpty() && top == null) {
        return;
      }
      Language base = top != null ? top : list.get(0);
      List<LanguageVersion> ordered = new ArrayList<>(versions.values());
      ordered.sort(Comparator.comparing((LanguageVersion v) -> !v.getIsDefault()));
      merged.add(base.toBuilder().clearVersions().addAllVersions(ordered).build());
    });
    return merged;
  }
}
