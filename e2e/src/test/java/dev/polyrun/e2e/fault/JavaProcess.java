package dev.polyrun.e2e.fault;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A polyrun process (worker or coordinator) started from the test's own classpath, so a test can
 * kill it with SIGKILL, pause it with SIGSTOP or stop it with SIGTERM like an operator would.
 */
final class JavaProcess implements AutoCloseable {
  private final Process process;
  private final Path log;
  final String name;

  private JavaProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  static JavaProcess start(String name, String mainClass, Map<String, String> env, Path logDir)
      throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command =
        new ArrayList<>(List.of(java, "-XX:+UseSerialGC", "-Xmx256m", "-XX:TieredStopAtLevel=1"));
    if (Runtime.version().feature() >= 23) {
      command.add("--sun-misc-unsafe-memory-access=allow");
    }
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().keySet().removeIf(k -> k.startsWith("POLYRUN_"));
    pb.environment().putAll(env);
    Path log = logDir.resolve(name + ".log");
    pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    return new JavaProcess(name, pb.start(), log);
  }

  /** Waits until the log shows {@code text}. */
  JavaProcess awaitLog(String text, Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.exists(log) && Files.readString(log).contains(text)) {
        return this;
      }
      if (!process.isAlive()) {
        throw new IllegalStateException(
            name + " exited with " + process.exitValue() + ":\n" + Files.readString(log));
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException(
        name + " did not log '" + text + "' within " + timeout + ":\n" + Files.readString(log));
  }

  String log() throws IOException {
    return Files.readString(log);
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  void signal(String signal) throws IOException, InterruptedException {
    Process kill =
        new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
    kill.waitFor(5, TimeUnit.SECONDS);
  }

  /**
   * SIGKILL, then waits for the process to be gone. Sent by the JVM itself (no {@code kill} process
   * to spawn), so the kill lands as soon as the test decides it, even on a busy machine.
   */
  void kill9() throws IOException, InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  /** Waits for the process to exit and returns its exit code, or -1 after the timeout. */
  int awaitExit(Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
  }

  @Override
  public void close() throws Exception {
    if (process.isAlive()) {
      signal("CONT");
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
