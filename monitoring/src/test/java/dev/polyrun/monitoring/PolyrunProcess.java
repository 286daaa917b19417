package dev.polyrun.monitoring;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A coordinator, worker or probe started from the test's class path as its own process, as an
 * operator runs it.
 */
final class PolyrunProcess implements AutoCloseable {
  private final Process process;
  private final Path log;
  private final String name;

  private PolyrunProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  static PolyrunProcess start(
      String name, String mainClass, Map<String, String> env, Path dir, String... args)
      throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command =
        new ArrayList<>(List.of(java, "-XX:+UseSerialGC", "-Xmx256m", "-XX:TieredStopAtLevel=1"));
    if (Runtime.version().feature() >= 23) {
      command.add("--sun-misc-unsafe-memory-access=allow");
    }
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().keySet().removeIf(k -> k.startsWith("POLYRUN_") || k.startsWith("OTEL_"));
    pb.environment().putAll(env);
    Path log = dir.resolve(name + ".log");
    pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    return new PolyrunProcess(name, pb.start(), log);
  }

  /** Waits until the log shows {@code text}. */
  PolyrunProcess awaitLog(String text, Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.exists(log) && Files.readString(log).contains(text)) {
        return this;
      }
      if (!process.isAlive()) {
        throw new IllegalStateException(
            name + " exited with " + process.exitValue() + ":\n" + log());
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException(
        name + " did not log '" + text + "' within " + timeout + ":\n" + log());
  }

  String log() throws IOException {
    return Files.exists(log) ? Files.readString(log) : "";
  }

  /** SIGTERM, then waits for the exit (the process flushes its telemetry on the way out). */
  int stop(Duration timeout) throws InterruptedException {
    process.destroy();
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
  }

  @Override
  public void close() throws Exception {
    // SIGTERM first: a worker that exits on its own removes its sandbox's cgroup
    if (process.isAlive() && stop(Duration.ofSeconds(10)) == -1) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
