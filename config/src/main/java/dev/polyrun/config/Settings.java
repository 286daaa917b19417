package dev.polyrun.config;

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

  /** A whole number in {@code min..max}; errors name the key and the range. */
  public int getInt(String key, int fallback, int min, int max) {
    String raw = get(key, null);
    return raw == null ? fallback : (int) Quantities.integer(key, raw, min, max);
  }

  /**
   * A duration such as {@code 500ms}, {@code 25s}, {@code 5m} or {@code 1h} ({@link Quantities}).
   */
  public Duration getDuration(String key, Duration fallback) {
    String raw = get(key, null);
    return raw == null ? fallback : Quantities.duration(key, raw);
  }

  /** Bytes of a size such as {@code 64k}, {@code 256m} or {@code 1g} ({@link Quantities}). */
  public long getSize(String key, long fallback) {
    String raw = get(key, null);
    return raw == null ? fallback : Quantities.size(key, raw);
  }
}
