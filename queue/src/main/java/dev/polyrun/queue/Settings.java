package dev.polyrun.queue;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Settings of a polyrun process: a key such as {@code redis.address} is read from the environment
 * variable {@code POLYRUN_REDIS_ADDRESS} first, then from an optional properties file, then falls
 * back to the caller's default. Immutable.
 */
public final class Settings {
  private final Properties file;
  private final Map<String, String> env;

  private Settings(Properties file, Map<String, String> env) {
    this.file = file;
    this.env = env;
  }

  /**
   * Loads the properties file named by {@code configFile} (when non-null) or by the environment
   * variable {@code POLYRUN_CONFIG} (when set), and the process environment.
   */
  public static Settings load(Path configFile) throws IOException {
    Map<String, String> env = System.getenv();
    Path path = configFile;
    if (path == null && env.get("POLYRUN_CONFIG") != null) {
      path = Path.of(env.get("POLYRUN_CONFIG"));
    }
    Properties props = new Properties();
    if (path != null) {
      try (Reader r = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
        props.load(r);
      }
    }
    return new Settings(props, env);
  }

  /** Settings from the given values only (for tests and embedding). */
  public static Settings of(Map<String, String> values) {
    Properties props = new Properties();
    props.putAll(values);
    return new Settings(props, Map.of());
  }

  /** The environment variable that overrides {@code key}. */
  public static String envName(String key) {
    return "POLYRUN_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  public String get(String key, String fallback) {
    String fromEnv = env.get(envName(key));
    if (fromEnv != null && !fromEnv.isEmpty()) {
      return fromEnv;
    }
    return file.getProperty(key, fallback);
  }

  public int getInt(String key, int fallback, int min, int max) {
    String raw = get(key, null);
    if (raw == null) {
      return fallback;
    }
    try {
      int value = Integer.parseInt(raw.trim());
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        key + ": '" + raw + "' (expected: an integer from " + min + " to " + max + ")");
  }

  /** A duration such as {@code 500ms}, {@code 25s}, {@code 5m} or {@code 1h}. */
  public Duration getDuration(String key, Duration fallback) {
    String raw = get(key, null);
    if (raw == null) {
      return fallback;
    }
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("(\\d+)(ms|s|m|h)").matcher(raw.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          key + ": '" + raw + "' (expected: a duration such as 500ms, 25s, 5m, 1h)");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofHours(n);
    };
  }

  /** Redis address and password ({@code redis.address}, {@code redis.password}). */
  public RedisSettings redis() {
    return RedisSettings.parse(get("redis.address", "redis://127.0.0.1:6379"), get("redis.password", null));
  }

  /**
   * Queue options ({@code queue.prefix}, {@code queue.job-ttl}, {@code queue.lease},
   * {@code queue.max-deliveries}, {@code queue.queued-ttl}).
   */
  public QueueOptions queueOptions() {
    return QueueOptions.builder()
        .keyPrefix(get("queue.prefix", "polyrun"))
        .jobTtl(getDuration("queue.job-ttl", Duration.ofHours(1)))
        .lease(getDuration("queue.lease", Duration.ofSeconds(30)))
        .maxDeliveries(getInt("queue.max-deliveries", 3, 1, 100))
        .queuedTtl(getDuration("queue.queued-ttl", Duration.ofHours(24)))
        .build();
  }
}
