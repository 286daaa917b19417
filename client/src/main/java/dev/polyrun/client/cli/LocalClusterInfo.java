package dev.polyrun.client.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The cluster that {@code bin/local-cluster} runs from this checkout: its address and its API key,
 * in the cluster directory that bin/polyrun names with {@code -Dpolyrun.cluster.dir}. The key is
 * used only to talk to that address.
 */
final class LocalClusterInfo {
  static final String DIR_PROPERTY = "polyrun.cluster.dir";
  private final Optional<String> address;
  private final Optional<String> apiKey;

  LocalClusterInfo(Optional<String> address, Optional<String> apiKey) {
    this.address = address;
    this.apiKey = apiKey;
  }

  static LocalClusterInfo none() {
    return new LocalClusterInfo(Optional.empty(), Optional.empty());
  }

  /**
   * The cluster in {@code dir}, if one was started there (files it cannot read count as absent).
   */
  static LocalClusterInfo in(Path dir) {
    if (dir == null) {
      return none();
    }
    return new LocalClusterInfo(read(dir.resolve("addr")), read(dir.resolve("api-key")));
  }

  /** The cluster named by the system property, if any. */
  static LocalClusterInfo fromSystem() {
    String dir = System.getProperty(DIR_PROPERTY);
    return dir == null || dir.isBlank() ? none() : in(Path.of(dir));
  }

  Optional<String> address() {
    return address;
  }

  /** The local cluster's key, only when {@code target} is the local cluster's address. */
  Optional<String> apiKeyFor(String target) {
    return address.filter(a -> a.equals(target)).flatMap(a -> apiKey);
  }

  private static Optional<String> read(Path file) {
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8).strip();
      return text.isEmpty() ? Optional.empty() : Optional.of(text);
    } catch (IOException | SecurityException e) {
      return Optional.empty();
    }
  }
}
