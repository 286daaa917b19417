package dev.polyrun.worker.it;

import com.google.gson.Gson;
import com.google.protobuf.ByteString;
import dev.polyrun.proto.v1.SourceFile;
import dev.polyrun.proto.v1.SubmitRequest;
import dev.polyrun.proto.v1.Verdict;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * One program of a language's test folder, {@code images/<name>/tests/<case>/}: its files as they
 * are (under their relative paths) and {@code test.json}, which says how to run it and what to
 * expect:
 *
 * <pre>
 * {"entry": "HelloWorld.java",      the entry file (default: the only file)
 *  "stdin": "1 2\n", "args": [...], the program's input (optional)
 *  "versions": ["25"],              only these versions of the language (optional)
 *  "verdict": "OK",                 the verdict without its prefix
 *  "stdout": "...",                 the exact stdout (optional)
 *  "exitCode": 3,                   the run stage's exit code (optional)
 *  "stderrContains": "...",         a piece of the stderr; without it an OK program writes none
 *  "compileOutputContains": "..."}  a piece of the compiler's output (optional)
 * </pre>
 *
 * @param name the case folder's name, e.g. {@code entry-name}
 * @param spec what {@code test.json} says
 * @param request the job to submit (without language and version)
 * @param expectedStdout the exact stdout expected, or null when any will do
 */
record ProgramCase(String name, Spec spec, SubmitRequest request, byte[] expectedStdout) {
  private static final Gson GSON = new Gson();

  /** The fields of {@code test.json}. */
  record Spec(
      String entry,
      String stdin,
      List<String> args,
      List<String> versions,
      String verdict,
      String stdout,
      Integer exitCode,
      String stderrContains,
      String compileOutputContains) {

    Verdict expectedVerdict() {
      return Verdict.valueOf("VERDICT_" + verdict);
    }
  }

  /** Whether the case applies to the version {@code versionName} of its language. */
  boolean appliesTo(String versionName) {
    return spec.versions() == null || spec.versions().contains(versionName);
  }

  /** Every case under {@code tests}, sorted by name; none when the folder does not exist. */
  static List<ProgramCase> load(Path tests) {
    if (!Files.isDirectory(tests)) {
      return List.of();
    }
    try (Stream<Path> dirs = Files.list(tests)) {
      List<ProgramCase> cases = new ArrayList<>();
      for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
        cases.add(read(dir));
      }
      return cases;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ProgramCase read(Path dir) throws IOException {
    Spec spec = GSON.fromJson(Files.readString(dir.resolve("test.json")), Spec.class);
    if (spec == null || spec.verdict() == null) {
      throw new IllegalArgumentException(
          dir.resolve("test.json") + ": no verdict (expected: e.g. \"OK\")");
    }
    List<Path> files;
    try (Stream<Path> walk = Files.walk(dir)) {
      files =
          walk.filter(Files::isRegularFile)
              .filter(p -> !p.equals(dir.resolve("test.json")))
              .sorted()
              .toList();
    }
    SubmitRequest.Builder request = SubmitRequest.newBuilder();
    for (Path file : files) {
      request.addFiles(
          SourceFile.newBuilder()
              .setPath(dir.relativize(file).toString())
              .setContent(ByteString.copyFrom(Files.readAllBytes(file))));
    }
    if (spec.entry() != null) {
      request.setEntryFile(spec.entry());
    } else if (files.size() != 1) {
      throw new IllegalArgumentException(
          dir.resolve("test.json")
              + ": "
              + files.size()
              + " files and no entry (expected: \"entry\" naming one of them)");
    }
    if (spec.stdin() != null) {
      request.setStdin(ByteString.copyFrom(spec.stdin(), StandardCharsets.UTF_8));
    }
    if (spec.args() != null) {
      request.addAllArgs(spec.args());
    }
    byte[] stdout = spec.stdout() == null ? null : spec.stdout().getBytes(StandardCharsets.UTF_8);
    return new ProgramCase(dir.getFileName().toString(), spec, request.build(), stdout);
  }
}
