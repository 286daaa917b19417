package dev.polyrun.loadtest.internal;

import com.google.protobuf.ByteString;
import dev.polyrun.loadtest.Program;
import dev.polyrun.proto.v1.SourceFile;
import dev.polyrun.proto.v1.TestCase;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The same program run without polyrun, for the baseline beside every figure: as a plain process of
 * the host (when the host has the language's tools on the image's PATH), or inside the language's
 * image root filesystem with no isolation at all (a private mount namespace that binds the work
 * directory, /proc and /dev into the image, then chroot; no user or pid namespace, cgroup, seccomp
 * or container runtime). Compiled languages compile once in {@link #open}; {@link #run} times the
 * program alone and {@link #compileAndRun} both. One instance per thread: it owns a work directory.
 */
public final class BareRun implements AutoCloseable {
  /** Where the program runs. */
  public enum Mode {
    HOST("host"),
    IMAGE("image");

    private final String label;

    Mode(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  private final Mode mode;
  private final ImageLanguage language;
  private final Program program;
  private final Path work;
  private final String entry;
  private final Map<String, String> env;

  private BareRun(Mode mode, ImageLanguage language, Program program, Path work, String entry) {
    this.mode = mode;
    this.language = language;
    this.program = program;
    this.work = work;
    this.entry = entry;
    this.env = new HashMap<>(language.env());
    env.put("HOME", mode == Mode.HOST ? work.toString() : "/tmp");
    env.put("LANG", "C.UTF-8");
  }

  /**
   * Writes the program's files into a new work directory and compiles it once. Empty when the mode
   * cannot run the program here: the host lacks a tool, or the process is not root (image mode).
   *
   * @throws IOException when the program does not compile or run bare
   */
  public static Optional<BareRun> open(Mode mode, ImageLanguage language, Program program)
      throws IOException, InterruptedException {
    if (mode == Mode.HOST && !hostHas(language)) {
      return Optional.empty();
    }
    if (mode == Mode.IMAGE && !isRoot()) {
      return Optional.empty();
    }
    Path work = Files.createTempDirectory("polyrun-bare-");
    String entry = writeFiles(work, language, program.files());
    BareRun bare = new BareRun(mode, language, program, work, entry);
    try {
      bare.compile();
      bare.run();
      return Optional.of(bare);
    } catch (IOException | RuntimeException e) {
      bare.close();
      throw e;
    }
  }

  public Mode mode() {
    return mode;
  }

  /** Compiles (nothing for an interpreted language); returns nanoseconds taken. */
  public long compile() throws IOException, InterruptedException {
    if (!language.compiled()) {
      return 0;
    }
    long t0 = System.nanoTime();
    exec(language.expand(language.compile(), entry), ByteString.EMPTY, "compile");
    return System.nanoTime() - t0;
  }

  /** Runs the compiled program (once per test case when judged); returns nanoseconds taken. */
  public long run() throws IOException, InterruptedException {
    List<String> command = language.expand(language.run(), entry);
    long t0 = System.nanoTime();
    if (program.judged()) {
      for (TestCase c : program.testCases()) {
        exec(command, c.getStdin(), "run");
      }
    } else {
      exec(command, program.stdin(), "run");
    }
    return System.nanoTime() - t0;
  }

  /** Compiles and runs; returns nanoseconds taken. */
  public long compileAndRun() throws IOException, InterruptedException {
    long t0 = System.nanoTime();
    compile();
    run();
    return System.nanoTime() - t0;
  }

  private void exec(List<String> argv, ByteString stdin, String stage)
      throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(command(argv))
            .directory(work.toFile())
            .redirectErrorStream(true)
            .start();
    try (OutputStream in = p.getOutputStream()) {
      stdin.writeTo(in);
    } catch (IOException ignored) {
      // the program did not read its stdin
    }
    byte[] output;
    try (InputStream out = p.getInputStream()) {
      output = out.readAllBytes();
    }
    int code = p.waitFor();
    if (code != 0 && stage.equals("compile")) {
      throw new IOException(
          mode.label()
              + " "
              + stage
              + " of "
              + program.name()
              + " exited with "
              + code
              + ": "
              + new String(output, java.nio.charset.StandardCharsets.UTF_8).strip());
    }
  }

  private List<String> command(List<String> argv) {
    List<String> command = new ArrayList<>();
    if (mode == Mode.HOST) {
      // The image's environment (PATH included), as the sandbox gives it, not this JVM's.
      command.add("/usr/bin/env");
      command.add("-i");
      env.forEach((k, v) -> command.add(k + "=" + v));
      command.addAll(argv);
      return command;
    }
    command.addAll(
        List.of(
            "unshare",
            "--mount",
            "--propagation",
            "private",
            "--",
            "/bin/sh",
            "-c",
            "mount --bind \"$0\" \"$1/work\" && mount --rbind /proc \"$1/proc\" && mount --rbind /dev \"$1/dev\""
                + " && mount -t tmpfs tmpfs \"$1/tmp\" && cd \"$1\" && shift && exec chroot . /usr/bin/env -i \"$@\"",
            work.toString(),
            language.rootfs().toString()));
    env.forEach((k, v) -> command.add(k + "=" + v));
    command.addAll(List.of("/bin/sh", "-c", "cd /work && exec \"$@\"", "sh"));
    command.addAll(argv);
    return command;
  }

  private static String writeFiles(Path work, ImageLanguage language, List<SourceFile> files)
      throws IOException {
    String entry = null;
    for (SourceFile f : files) {
      String path = f.getPath().isEmpty() ? language.sourceFile() : f.getPath();
      Path target = work.resolve(path).normalize();
      if (!target.startsWith(work)) {
        throw new IOException(
            "source path '" + f.getPath() + "' (expected: relative, inside the work directory)");
      }
      Files.createDirectories(target.getParent());
      Files.write(target, f.getContent().toByteArray());
      entry = entry == null ? path : entry;
    }
    return entry;
  }

  /**
   * Whether the host has the language's tools on the image's PATH (not the caller's, e.g. pyenv
   * shims).
   */
  static boolean hostHas(ImageLanguage language) {
    String path = language.env().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
    List<String> tools = new ArrayList<>();
    tools.add(language.run().get(0));
    if (language.compiled()) {
      tools.add(language.compile().get(0));
    }
    for (String tool : tools) {
      if (tool.startsWith("./") || tool.startsWith("/")) {
        continue;
      }
      boolean found =
          Stream.of(path.split(":")).map(d -> Path.of(d, tool)).anyMatch(Files::isExecutable);
      if (!found) {
        return false;
      }
    }
    return true;
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  @Override
  public void close() {
    try (Stream<Path> walk = Files.walk(work)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove " + work, e);
    }
  }
}
