package dev.polyrun.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The language images images/build left, as the integration tests find them. */
final class TestImages {
  static final Path DIR =
      Path.of(System.getProperty("polyrun.images.dir", "/var/lib/polyrun/images"));

  /**
   * Host ids far from the default range, so the tests never share a uid with workers that run on
   * this host at the same time (and do not claim their ranges).
   */
  static final PolicyOverride TEST_IDS =
      PolicyOverride.parse(
          "{\"ids\": {\"base\": 1000000000}}", "test ids", PolicyOverride.Scope.OPERATOR);

  private TestImages() {}

  /**
   * The real root filesystem of a built image: the default version's, {@code
   * <dir>/languages/<language>/<version>/current}, else the single-version layout's.
   */
  static Path rootfs(String language) throws IOException {
    Path current = DIR.resolve(language).resolve("current");
    Path versions = DIR.resolve("languages").resolve(language);
    if (Files.isDirectory(versions)) {
      try (java.util.stream.Stream<Path> all = Files.list(versions)) {
        for (Path v : all.sorted().toList()) {
          Path json = v.resolve("current/language.json");
          if (Files.isRegularFile(json)
              && Files.readString(json).matches("(?s).*\"default\"\\s*:\\s*true.*")) {
            current = v.resolve("current");
          }
        }
      }
    }
    if (!Files.exists(current.resolve(".complete"))) {
      throw new IllegalStateException(
          language + " image not built in " + DIR + "; run images/build " + language);
    }
    return current.resolve("rootfs").toRealPath();
  }
}
