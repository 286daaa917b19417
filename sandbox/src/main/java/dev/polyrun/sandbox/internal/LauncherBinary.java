package dev.polyrun.sandbox.internal;

import dev.polyrun.sandbox.SandboxOptions;
import dev.polyrun.sandbox.SandboxUnavailableException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;

/**
 * Where polyrun's launcher comes from: the file {@link SandboxOptions#launcherPath()} names, or the
 * binary the build compiled into this jar ({@code src/main/c/polyrun-launcher.c}), copied into the
 * state directory where it can be executed.
 */
final class LauncherBinary {
  static final String RESOURCE = "/dev/polyrun/sandbox/polyrun-launcher";

  private LauncherBinary() {}

  /** The launcher to run; copies the jar's when it differs from the one in place. */
  static Path install(SandboxOptions options, Path state) throws IOException {
    if (options.launcherPath() != null) {
      if (!Files.isExecutable(options.launcherPath())) {
        throw new SandboxUnavailableException(
            "launcher: " + options.launcherPath() + " (expected: an executable file)");
      }
      return options.launcherPath();
    }
    byte[] binary;
    try (InputStream in = LauncherBinary.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new SandboxUnavailableException(
            "the polyrun launcher is not in this build (it is compiled with gcc and"
                + " libseccomp-dev: bin/lib/setup.sh installs them); expected: "
                + RESOURCE
                + " on the class path,"
                + " or the runtime runc");
      }
      binary = in.readAllBytes();
    }
    Path dir = state.resolve("bin");
    Files.createDirectories(dir);
    Path target = dir.resolve("polyrun-launcher");
    if (!Files.exists(target) || !Arrays.equals(Files.readAllBytes(target), binary)) {
      Path tmp = Files.createTempFile(dir, "launcher", ".tmp");
      Files.write(tmp, binary);
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
    return target;
  }
}
