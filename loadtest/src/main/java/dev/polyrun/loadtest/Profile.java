package dev.polyrun.loadtest;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.polyrun.loadtest.internal.TestCaseDir;
import dev.polyrun.proto.v1.Comparator;
import dev.polyrun.proto.v1.Limits;
import dev.polyrun.proto.v1.SourceFile;
import dev.polyrun.proto.v1.TestCase;
import dev.polyrun.proto.v1.Verdict;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A mix of programs with weights, e.g. 60% Python hello, 20% C++, 10% Java and 10% a judged program
 * with ten test cases. Read from a JSON file (see {@code loadtest/profiles/mix.json}); paths in it
 * are relative to the file. Immutable and thread-safe.
 *
 * <pre>{@code
 * {"programs": [
 *   {"name": "python-hello", "weight": 60, "language": "python",
 *    "files": ["../../images/python/hello.py"], "expectedStdout": "../../images/python/hello.out"},
 *   {"name": "python-judged", "weight": 10, "language": "python",
 *    "files": ["../programs/sum.py"], "tests": "../programs/sum-tests"},
 *   {"name": "python-spin", "weight": 0, "language": "python", "source": "while True: pass",
 *    "expectedVerdict": "TIME_LIMIT_EXCEEDED", "runLimits": {"cpuTimeMs": 1000}}]}
 * }</pre>
 */
public final class Profile {
  /** One program of the mix and its share. */
  public record Entry(Program program, double weight) {}

  private final List<Entry> entries;
  private final double[] cumulative;

  /** A mix of the given programs and weights; weights need not add up to anything. */
  public Profile(List<Entry> entries) {
    if (entries.isEmpty()) {
      throw new IllegalArgumentException("profile: no program (expected: at least one)");
    }
    this.entries = List.copyOf(entries);
    this.cumulative = new double[entries.size()];
    double sum = 0;
    for (int i = 0; i < entries.size(); i++) {
      double w = entries.get(i).weight();
      if (!(w >= 0)) {
        throw new IllegalArgumentException(
            "profile: weight of "
                + entries.get(i).program().name()
                + ": "
                + w
                + " (expected: >= 0)");
      }
      sum += w;
      cumulative[i] = sum;
    }
    if (sum <= 0) {
      throw new IllegalArgumentException(
          "profile: every weight is 0 (expected: at least one above 0)");
    }
  }

  /** A profile of one program. */
  public static Profile of(Program program) {
    return new Profile(List.of(new Entry(program, 1)));
  }

  /** A profile of the given programs in equal shares. */
  public static Profile equal(List<Program> programs) {
    return new Profile(programs.stream().map(p -> new Entry(p, 1)).toList());
  }

  public List<Entry> entries() {
    return entries;
  }

  public List<Program> programs() {
    return entries.stream().map(Entry::program).toList();
  }

  /** The program at {@code u} (uniform in [0, 1)) of the weighted mix. */
  public Program pick(double u) {
    double target = u * cumulative[cumulative.length - 1];
    for (int i = 0; i < cumulative.length; i++) {
      if (target < cumulative[i]) {
        return entries.get(i).program();
      }
    }
    return entries.get(entries.size() - 1).program();
  }

  /**
   * Reads a profile file.
   *
   * @throws IllegalArgumentException naming the file, the entry and the bad field
   */
  public static Profile read(Path file) {
    String json;
    try {
      json = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "profile: cannot read '" + file + "': " + e.getMessage(), e);
    }
    ProfileFile parsed;
    try {
      parsed = new Gson().fromJson(json, ProfileFile.class);
    } catch (JsonParseException e) {
      throw new IllegalArgumentException(
          "profile " + file + ": not valid JSON: " + e.getMessage(), e);
    }
    if (parsed == null || parsed.programs == null) {
      throw new IllegalArgumentException("profile " + file + ": no \"programs\" list");
    }
    Path base = file.toAbsolutePath().getParent();
    List<Entry> entries = new ArrayList<>();
    for (EntryFile e : parsed.programs) {
      try {
        entries.add(new Entry(e.toProgram(base), e.weight == null ? 1 : e.weight));
      } catch (IllegalArgumentException | UncheckedIOException bad) {
        throw new IllegalArgumentException(
            "profile " + file + ", program '" + e.name + "': " + bad.getMessage(), bad);
      }
    }
    return new Profile(entries);
  }

  /** The JSON shape of a profile file. */
  private static final class ProfileFile {
    List<EntryFile> programs;
  }

  /** The JSON shape of one entry; fields are null when absent. */
  @SuppressWarnings("unused") // set by Gson
  private static final class EntryFile {
    String name;
    Double weight;
    String language;
    List<String> files;
    String source;
    String stdin;
    String expectedStdout;
    String expectedText;
    String tests;
    String comparator;
    String expectedVerdict;

    /**
     * The contract's {@code Limits} in its JSON form; absent or zero fields take the language's
     * defaults.
     */
    JsonElement runLimits;

    Program toProgram(Path base) {
      if (name == null || language == null) {
        throw new IllegalArgumentException("\"name\" and \"language\" are required");
      }
      List<SourceFile> sources = sources(base);
      List<TestCase> cases =
          tests == null ? List.of() : TestCaseDir.read(base.resolve(tests), comparator());
      Optional<ByteString> expected =
          expectedText != null
              ? Optional.of(ByteString.copyFromUtf8(expectedText))
              : expectedStdout != null
                  ? Optional.of(bytes(base.resolve(expectedStdout)))
                  : Optional.empty();
      Verdict verdict =
          expectedVerdict != null
              ? verdict(expectedVerdict)
              : cases.isEmpty() ? Verdict.VERDICT_OK : Verdict.VERDICT_ACCEPTED;
      ByteString in = stdin == null ? ByteString.EMPTY : bytes(base.resolve(stdin));
      Limits limits = limits(runLimits);
      return new Program(name, language, sources, in, cases, limits, verdict, expected);
    }

    private List<SourceFile> sources(Path base) {
      if (source != null) {
        return List.of(SourceFile.newBuilder().setContent(ByteString.copyFromUtf8(source)).build());
      }
      if (files == null || files.isEmpty()) {
        throw new IllegalArgumentException(
            "neither \"files\" nor \"source\" (expected: one of them)");
      }
      List<SourceFile> list = new ArrayList<>();
      for (String f : files) {
        // One file goes under the language's own file name (Main.java); several keep their names.
        String path = files.size() == 1 ? "" : Path.of(f).getFileName().toString();
        list.add(SourceFile.newBuilder().setPath(path).setContent(bytes(base.resolve(f))).build());
      }
      return list;
    }

    private Comparator comparator() {
      if (comparator == null) {
        return Comparator.COMPARATOR_EXACT;
      }
      String c = comparator.toUpperCase(Locale.ROOT).replace('-', '_');
      try {
        return Comparator.valueOf(c.startsWith("COMPARATOR_") ? c : "COMPARATOR_" + c);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "comparator '"
                + comparator
                + "' (expected: exact, ignore-trailing-whitespace or numbers)",
            e);
      }
    }

    private static ByteString bytes(Path file) {
      try {
        return ByteString.copyFrom(Files.readAllBytes(file));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read '" + file + "'", e);
      }
    }
  }

  private static Limits limits(JsonElement json) {
    Limits.Builder limits = Limits.newBuilder();
    if (json != null) {
      try {
        JsonFormat.parser().merge(json.toString(), limits);
      } catch (InvalidProtocolBufferException e) {
        throw new IllegalArgumentException(
            "runLimits: "
                + json
                + " (expected: the contract's Limits, e.g."
                + " {\"cpuTimeMs\": 1000, \"memoryBytes\": 268435456}): "
                + e.getMessage(),
            e);
      }
    }
    return limits.build();
  }

  /** A verdict by its name with or without the {@code VERDICT_} prefix, in any case. */
  public static Verdict verdict(String name) {
    String v = name.toUpperCase(Locale.ROOT).replace('-', '_');
    try {
      return Verdict.valueOf(v.startsWith("VERDICT_") ? v : "VERDICT_" + v);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "verdict '" + name + "' (expected: e.g. OK, ACCEPTED, TIME_LIMIT_EXCEEDED)", e);
    }
  }
}
