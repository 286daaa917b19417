package dev.polyrun.queue;

import static dev.polyrun.queue.internal.Keys.bytes;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.polyrun.proto.v1.Language;
import dev.polyrun.proto.v1.LanguageVersion;
import dev.polyrun.queue.internal.Keys;
import dev.polyrun.queue.internal.RedisCalls;
import java.nio.charset.StandardCharsets;
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
 * queues it reads served; a read merges the views of a language into one entry, with every version
 * some worker advertised within the retention. Thread-safe.
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

  /**
   * Writes a worker's languages (each its view, stamped now), marks the queues it reads served now,
   * and drops the views no worker refreshed within the retention.
   */
  void advertise(List<Language> languages) {
    if (languages.isEmpty()) {
      return;
    }
    Map<byte[], byte[]> fields = new HashMap<>();
    Map<String, Double> seen = new HashMap<>();
    Map<String, Double> served = new HashMap<>();
    double now = clock.millis();
    for (Language language : languages) {
      fields.put(bytes(field(language)), language.toByteArray());
      seen.put(field(language), now);
      QueueNames.served(language).forEach(queue -> served.put(queue, now));
    }
    long ttl = options.languagesTtl().toMillis();
    byte[] key = bytes(keys.languages());
    RedisCalls.call(
        () -> {
          List<String> stale =
              redis.zrangeByScore(keys.languagesSeen(), Double.NEGATIVE_INFINITY, now - ttl);
          if (!stale.isEmpty()) {
            redis.hdel(key, stale.stream().map(Keys::bytes).toArray(byte[][]::new));
            redis.zrem(keys.languagesSeen(), stale.toArray(String[]::new));
          }
          redis.hset(key, fields);
          redis.pexpire(key, ttl);
          redis.zadd(keys.languagesSeen(), seen);
          redis.pexpire(keys.languagesSeen(), ttl);
          redis.zadd(keys.served(), served);
          return redis.pexpire(keys.served(), ttl);
        });
  }

  /** The languages with a version advertised within the registry's retention, merged, by name. */
  List<Language> languages() {
    Map<byte[], byte[]> all = RedisCalls.call(() -> redis.hgetAll(bytes(keys.languages())));
    double since = clock.millis() - options.languagesTtl().toMillis();
    Map<String, Double> seen = new HashMap<>();
    RedisCalls.call(
            () ->
                redis.zrangeByScoreWithScores(
                    keys.languagesSeen(), since, Double.POSITIVE_INFINITY))
        .forEach(t -> seen.put(t.getElement(), t.getScore()));
    List<View> views = new ArrayList<>();
    for (Map.Entry<byte[], byte[]> entry : all.entrySet()) {
      Double at = seen.get(new String(entry.getKey(), StandardCharsets.UTF_8));
      if (at == null) {
        continue; // a view no worker refreshed within the retention
      }
      try {
        views.add(new View(Language.parseFrom(entry.getValue()), at.longValue()));
      } catch (InvalidProtocolBufferException e) {
        throw new QueueDataException("unreadable language registry entry: " + e.getMessage(), e);
      }
    }
    return merge(views, served(options.languagesTtl()));
  }

  /** The queues a worker advertised within {@code window}. */
  Set<String> served(Duration window) {
    double since = clock.millis() - window.toMillis();
    return new HashSet<>(
        RedisCalls.call(() -> redis.zrangeByScore(keys.served(), since, Double.POSITIVE_INFINITY)));
  }

  /** The registry field of one worker's view of a language: {@code python@3.13,3.11}. */
  static String field(Language language) {
    List<String> versions =
        language.getVersionsList().stream().map(LanguageVersion::getName).sorted().toList();
    return language.getName() + QueueNames.VERSION + String.join(",", versions);
  }

  /** One worker's view of a language, and when (ms) a worker last advertised it. */
  record View(Language language, long seenMillis) {}

  /**
   * One entry per language, sorted by name: the versions of its views whose queues are in {@code
   * live}, each once (as the freshest view describes it), with exactly one default: the freshest
   * view's, so that workers that disagree (an image upgrade under way) never make two; the
   * top-level fields from the view that has it. A language none of whose versions is live is left
   * out; a view without versions (an older worker's) counts as live when its language's queue is.
   */
  static List<Language> merge(Collection<View> views, Set<String> live) {
    Map<String, List<Language>> byName = new TreeMap<>();
    views.stream()
        .sorted(
            Comparator.comparingLong(View::seenMillis)
                .reversed()
                .thenComparing(v -> field(v.language())))
        .forEach(
            v ->
                byName
                    .computeIfAbsent(v.language().getName(), n -> new ArrayList<>())
                    .add(v.language()));
    List<Language> merged = new ArrayList<>();
    byName.forEach((name, list) -> merged.addAll(mergeOne(name, list, live)));
    return merged;
  }

  /** The merged entry of one language's views, freshest first; none when nothing is live. */
  private static List<Language> mergeOne(
      String name, List<Language> freshestFirst, Set<String> live) {
    Map<String, LanguageVersion> versions = new LinkedHashMap<>();
    Language top = null;
    String defaultName = null;
    for (Language view : freshestFirst) {
      for (LanguageVersion v : view.getVersionsList()) {
        if (!live.contains(QueueNames.of(name, v.getName())) || versions.containsKey(v.getName())) {
          continue;
        }
        boolean isDefault = v.getIsDefault() && defaultName == null;
        if (isDefault) {
          defaultName = v.getName();
          top = view;
        }
        versions.put(v.getName(), v.toBuilder().setIsDefault(isDefault).build());
      }
      if (view.getVersionsCount() == 0 && live.contains(name) && top == null) {
        top = view;
      }
    }
    if (versions.isEmpty() && top == null) {
      return List.of();
    }
    Language base = top != null ? top : freshestFirst.get(0);
    List<LanguageVersion> ordered = new ArrayList<>(versions.values());
    ordered.sort(Comparator.comparing((LanguageVersion v) -> !v.getIsDefault()));
    return List.of(base.toBuilder().clearVersions().addAllVersions(ordered).build());
  }
}
