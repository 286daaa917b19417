package dev.polyrun.client.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * Defaults of the CLI from a properties file: {@code --config FILE}, else {@code
 * $POLYRUN_CLI_CONFIG}, else {@code $XDG_CONFIG_HOME/polyrun/config} (default {@code
 * ~/.config/polyrun/config}) when it exists. Keys: {@code addr}, {@code api-key}, {@code tls},
 * {@code ca}, {@code cert}, {@code key}, {@code time}, {@code cpu-time}, {@code memory}. A
 * command-line option or environment variable wins over the file.
 */
final class CliConfig {
  static final String ENV_CONFIG = "POLYRUN_CLI_CONFIG";
  static final Set<String> KEYS =
      Set.of("addr", "api-key", "tls", "ca", "cert", "key", "time", "cpu-time", "memory");
  private final Map<String, String> values;
  private final Path source;

  private CliConfig(Map<String, String> values, Path source) {
    this.values = values;
    this.source = source;
  }

  static CliConfig empty() {
    return new CliConfig(Map.of(), null);
  }

  /**
   * The config file that applies, or an empty one when there is none.
   *
   * @param explicit {@code --config}, or null
   * @throws UsageException when a named file cannot be read or holds an unknown key
   */
  static CliConfig load(Io io, String explicit) {
    Path path = null;
    boolean named = true;
    if (explicit != null) {
      path = io.cwd.resolve(explicit);
    } else if (io.env(ENV_CONFIG) != null) {
      path = io.cwd.resolve(io.env(ENV_CONFIG));
    } else {
      named = false;
      String xdg = io.env("XDG_CONFIG_HOME");
      String home = io.env("HOME");
      if (xdg != null) {
        path = Path.of(xdg, "polyrun", "config");
      } else if (home != null) {
        path = Path.of(home, ".config", "polyrun", "config");
      }
    }
    if (path == null || (!named && !Files.isRegularFile(path))) {
      return empty();
    }
    return read(path);
  }

  private static CliConfig read(Path path) {
    Properties props = new Properties();
    try (Reader r = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      props.load(r);
    } catch (IOException e) {
      throw new UsageException("cannot read the config file '" + path + "': " + e.getMessage());
    }
    Map<String, String> values = new java.util.HashMap<>();
    for (String name : props.stringPropertyNames()) {
      if (!KEYS.contains(name)) {
        throw new UsageException(
            "config file '"
                + path
                + "': unknown key '"
                + name
                + "' (expected: one of "
                + new TreeSet<>(KEYS)
                + ")");
      }
      values.put(name, props.getProperty(name).strip());
    }
    return new CliConfig(Map.copyOf(values), path);
  }

  /** The file's value of {@code key}, when set and not blank. */
  Optional<String> get(String key) {
    return Optional.ofNullable(values.get(key)).filter(v -> !v.isEmpty());
  }

  /** A path value, relative to the config file's directory. */
  Optional<Path> path(String key) {
    return get(key).map(v -> source.toAbsolutePath().getParent().resolve(v));
  }

  /** Where the values came from, for error messages. */
  String where(String key) {
    return "config file '" + source + "' " + key;
  }
}
