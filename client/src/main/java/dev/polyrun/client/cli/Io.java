package dev.polyrun.client.cli;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * What the CLI reads and writes: standard streams (raw bytes for program output, text writers for
 * its own messages), the environment, the current directory and whether stdin is a terminal. Tests
 * hand in their own; {@link #system()} is the process's.
 */
final class Io {
  /** Set by bin/polyrun from {@code [ -t 0 ]}: the shell knows better than the JVM. */
  static final String STDIN_TERMINAL_PROPERTY = "polyrun.stdin.terminal";

  /** Set by bin/polyrun from {@code [ -t 1 ]}. */
  static final String STDOUT_TERMINAL_PROPERTY = "polyrun.stdout.terminal";

  final InputStream in;
  final OutputStream out;
  final OutputStream err;
  final PrintWriter outText;
  final PrintWriter errText;
  final Map<String, String> env;
  final Path cwd;
  final boolean stdinIsTerminal;

  /** Whether a person may be reading stdout as it comes: then program output is shown live. */
  final boolean stdoutIsTerminal;

  final LocalClusterInfo localCluster;

  Io(
      InputStream in,
      OutputStream out,
      OutputStream err,
      Map<String, String> env,
      Path cwd,
      boolean stdinIsTerminal) {
    this(in, out, err, env, cwd, stdinIsTerminal, LocalClusterInfo.none());
  }

  Io(
      InputStream in,
      OutputStream out,
      OutputStream err,
      Map<String, String> env,
      Path cwd,
      boolean stdinIsTerminal,
      LocalClusterInfo localCluster) {
    this(in, out, err, env, cwd, stdinIsTerminal, false, localCluster);
  }

  Io(
      InputStream in,
      OutputStream out,
      OutputStream err,
      Map<String, String> env,
      Path cwd,
      boolean stdinIsTerminal,
      boolean stdoutIsTerminal,
      LocalClusterInfo localCluster) {
    this.stdoutIsTerminal = stdoutIsTerminal;
    this.in = Objects.requireNonNull(in, "in");
    this.out = Objects.requireNonNull(out, "out");
    this.err = Objects.requireNonNull(err, "err");
    this.outText = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
    this.errText = new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8));
    this.env = Map.copyOf(env);
    this.cwd = Objects.requireNonNull(cwd, "cwd");
    this.stdinIsTerminal = stdinIsTerminal;
    this.localCluster = Objects.requireNonNull(localCluster, "localCluster");
  }

  /** The process's own streams, unbuffered so each chunk of program output is written at once. */
  static Io system() {
    return new Io(
        new FileInputStream(FileDescriptor.in),
        new FileOutputStream(FileDescriptor.out),
        new FileOutputStream(FileDescriptor.err),
        System.getenv(),
        Path.of(""),
        stdinIsTerminal(),
        stdoutIsTerminal(),
        LocalClusterInfo.fromSystem());
  }

  private static boolean stdinIsTerminal() {
    String told = System.getProperty(STDIN_TERMINAL_PROPERTY);
    if (told != null) {
      return Boolean.parseBoolean(told);
    }
    // Without the launcher's word: a console means stdin and stdout are both terminals.
    return System.console() != null;
  }

  private static boolean stdoutIsTerminal() {
    String told = System.getProperty(STDOUT_TERMINAL_PROPERTY);
    if (told != null) {
      return Boolean.parseBoolean(told);
    }
    return System.console() != null;
  }

  /** The environment variable, or null when unset or empty. */
  String env(String name) {
    String value = env.get(name);
    return value == null || value.isEmpty() ? null : value;
  }

  /** Writes one line of the CLI's own to stderr, at once. */
  void error(String line) {
    errText.println(line);
    errText.flush();
  }

  /** Flushes both text writers. */
  void flush() {
    outText.flush();
    errText.flush();
  }
}
