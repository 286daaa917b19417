package dev.polyrun.loadtest.internal;

import com.google.protobuf.ByteString;
import dev.polyrun.loadtest.Program;
import dev.polyrun.proto.v1.Comparator;
import dev.polyrun.proto.v1.Limits;
import dev.polyrun.proto.v1.SourceFile;
import dev.polyrun.proto.v1.Verdict;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The programs the harness uses when none is given: each language's hello-world sample from the
 * checkout's {@code images/<lang>/} (with its expected output {@code hello.out}), the judged
 * program of {@code loadtest/programs/} and a program that must run out of time.
 */
public final class Samples {
  private final Path root;

  /** Samples of the checkout at {@code root} (the directory holding {@code images/}). */
  public Samples(Path root) {
    this.root = root;
  }

  /**
   * The checkout named by {@code -Dpolyrun.root} (bin/loadtest sets it), else the working
   * directory.
   */
  public static Samples fromSystem() {
    return new Samples(
        Path.of(System.getProperty("polyrun.root", ".")).toAbsolutePath().normalize());
  }

  public Path root() {
    return root;
  }

  /** {@code <lang>-hello}: the language's hello sample, which must print its {@code hello.out}. */
  public Program hello(String language) {
    Path dir = root.resolve("images").resolve(language);
    Path source;
    try (Stream<Path> files = Files.list(dir)) {
      source =
          files
              .filter(
                  f ->
                      f.getFileName().toString().startsWith("hello.")
                          && !f.getFileName().toString().equals("hello.out"))
              .findFirst()
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "language '"
                              + language
                              + "': no hello sample in "
                              + dir
                              + " (expected: hello.<ext> and hello.out)"));
      return Program.of(
          language + "-hello", language, bytes(source), bytes(dir.resolve("hello.out")));
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "language '"
              + language
              + "': cannot read samples in "
              + dir
              + " (expected: images/<lang>/hello.<ext> in the checkout "
              + root
              + ")",
          e);
    }
  }

  /**
   * {@code python-judged}: a Python program that adds two numbers, judged on the ten cases of
   * {@code loadtest/programs/sum-tests}.
   */
  public Program judged() {
    Path programs = root.resolve("loadtest/programs");
    try {
      return new Program(
          "python-judged",
          "python",
          List.of(SourceFile.newBuilder().setContent(bytes(programs.resolve("sum.py"))).build()),
          ByteString.EMPTY,
          TestCaseDir.read(programs.resolve("sum-tests"), Comparator.COMPARATOR_EXACT),
          Limits.getDefaultInstance(),
          Verdict.VERDICT_ACCEPTED,
          Optional.empty());
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the judged program in " + programs, e);
    }
  }

  /**
   * {@code python-time-limit}: spins until its one-second cpu limit ends it with
   * TIME_LIMIT_EXCEEDED.
   */
  public static Program timeLimit() {
    return new Program(
        "python-time-limit",
        "python",
        List.of(
            SourceFile.newBuilder()
                .setContent(ByteString.copyFromUtf8("while True:\n    pass\n"))
                .build()),
        ByteString.EMPTY,
        List.of(),
        Limits.newBuilder().setCpuTimeMs(1000).setWallTimeMs(3000).build(),
        Verdict.VERDICT_TIME_LIMIT_EXCEEDED,
        Optional.empty());
  }

  /**
   * {@code python-sleep}: sleeps {@code seconds}, then prints {@code done}; keeps a stream open.
   * Its wall-time limit is the sleep plus 10 s.
   */
  public static Program sleeper(double seconds) {
    String source = "import time\ntime.sleep(" + seconds + ")\nprint('done')\n";
    return new Program(
        "python-sleep",
        "python",
        List.of(SourceFile.newBuilder().setContent(ByteString.copyFromUtf8(source)).build()),
        ByteString.EMPTY,
        List.of(),
        Limits.newBuilder().setWallTimeMs(Math.round(seconds * 1000) + 10_000).build(),
        Verdict.VERDICT_OK,
        Optional.of(ByteString.copyFromUtf8("done\n")));
  }

  private static ByteString bytes(Path file) throws IOException {
    return ByteString.copyFrom(Files.readAllBytes(file));
  }
}
