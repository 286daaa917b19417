package dev.polyrun.e2e.fault;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Removal of a test's temporary folders. */
final class TestFiles {
  private TestFiles() {}

  /**
   * Deletes {@code dir} and what it holds, never following a link out of it; refuses a folder that
   * still holds a mount (a sweep must unmount it first), so nothing outside is ever touched.
   */
  static void delete(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    String mounts = Files.readString(Path.of("/proc/self/mountinfo"));
    if (mounts.contains(" " + dir.toAbsolutePath() + "/")) {
      throw new IOException("a mount is left under " + dir + "; not deleting it");
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
