package dev.polyrun.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The language images images/build left, as the integration tests find them. */
final class TestImages {
  static final Path DIR = Path.of(System.getProperty("polyrun.images.dir", "/var/lib/polyrun/images"));

  private TestImages() {}

  /** The real root filesystem of a built image. */
  static Path rootfs(String language) throws IOException {
    Path current = DIR.resolve(language).resolve("current");
    if (!Files.exists(current.resolve(".complete"))) {
      throw new IllegalStateException(language + " image not built in " + DIR + "; run images/build " + language);
    }
    return current.resolve("rootfs").toRealPath();
  }
}
