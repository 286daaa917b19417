package dev.polyrun.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Node gRPC client of {@code e2e/src/test/node}, installed into {@code e2e/target/node} with
 * {@code npm ci} from its committed lock file (again only when the lock file changed), and run with
 * {@code node}.
 */
final class NodeClient {
  private static final Path ROOT =
      Path.of(System.getProperty("polyrun.root", "..")).toAbsolutePath().normalize();
  private static final Path SOURCES = ROOT.resolve("e2e/src/test/node");
  private static final Path INSTALL = ROOT.resolve("e2e/target/node");

  /** What a run printed (stdout and stderr together) and how it exited. */
  record Run(int exitCode, List<String> lines) {
    String lastLine() {
      return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }
  }

  private NodeClient() {}

  /** Copies the client next to its dependencies, installing them when its lock file changed. */
  static void install() throws IOException, InterruptedException {
    Files.createDirectories(INSTALL);
    Path lock = SOURCES.resolve("package-lock.json");
    Path installed = INSTALL.resolve("node_modules/.polyrun-lock.json");
    boolean current =
        Files.exists(installed)
            && Arrays.equals(Files.readAllBytes(lock), Files.readAllBytes(installed));
    try (var files = Files.list(SOURCES)) {
      for (Path file : files.toList()) {
        Files.copy(file, INSTALL.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    if (!current) {
      Run npm = run(List.of("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"), 300);
      if (npm.exitCode() != 0) {
        throw new IllegalStateException(
            "npm ci failed in " + INSTALL + ": " + String.join("\n", npm.lines()));
      }
      Files.copy(lock, installed, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /**
   * Runs {@code node script args...} in the install folder, killing it after {@code
   * timeoutSeconds}.
   */
  static Run node(String script, List<String> args, long timeoutSeconds)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("node", script));
    command.addAll(args);
    return run(command, timeoutSeconds);
  }

  private static Run run(List<String> command, long timeoutSeconds)
      throws IOException, InterruptedException {
    Path output = Files.createTempFile("polyrun-node", ".log");
    try {
      Process p =
          new ProcessBuilder(command)
              .directory(INSTALL.toFile())
              .redirectErrorStream(true)
              .redirectOutput(output.toFile())
              .start();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor();
        throw new IllegalStateException(
            command + " did not finish in " + timeoutSeconds + " s: " + Files.readString(output));
      }
      return new Run(p.exitValue(), Files.readAllLines(output));
    } finally {
      Files.deleteIfExists(output);
    }
  }
}
