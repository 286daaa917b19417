package dev.polyrun.loadtest.internal;

import com.google.gson.Gson;
import com.google.gson.JsonParseException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the harness needs of a built language image to run a program bare: its root filesystem and
 * the definition's source file name, compile and run commands and environment (read from the
 * default version's {@code <images>/languages/<lang>/<version>/current/language.json}, or from
 * {@code <images>/<lang>/current/language.json} of the single-version layout).
 *
 * @param compile the compile command, empty for an interpreted language
 */
public record ImageLanguage(
    String name,
    Path rootfs,
    String sourceFile,
    List<String> compile,
    List<String> run,
    Map<String, String> env) {

  /** The image of {@code language} in {@code imageDir}, if it is built. */
  public static Optional<ImageLanguage> find(Path imageDir, String language) {
    Path current =
        defaultVersion(imageDir.resolve("languages").resolve(language))
            .orElse(imageDir.resolve(language).resolve("current"));
    Path definition = current.resolve("language.json");
    if (!Files.isRegularFile(definition) || !Files.isDirectory(current.resolve("rootfs"))) {
      return Optional.empty();
    }
    try {
      Definition d =
          new Gson()
              .fromJson(Files.readString(definition, StandardCharsets.UTF_8), Definition.class);
      if (d == null || d.sourceFile == null || d.run == null) {
        throw new IllegalArgumentException(definition + ": no sourceFile or run command");
      }
      return Optional.of(
          new ImageLanguage(
              language,
              current.resolve("rootfs").toRealPath(),
              d.sourceFile,
              d.compile == null ? List.of() : List.copyOf(d.compile),
              List.copyOf(d.run),
              d.env == null ? Map.of() : Map.copyOf(d.env)));
    } catch (IOException | JsonParseException e) {
      throw new IllegalArgumentException("cannot read " + definition + ": " + e.getMessage(), e);
    }
  }

  public boolean compiled() {
    return !compile.isEmpty();
  }

  /** The {@code current} folder of the version whose definition says it is the default. */
  private static Optional<Path> defaultVersion(Path language) {
    if (!Files.isDirectory(language)) {
      return Optional.empty();
    }
    try (java.util.stream.Stream<Path> versions = Files.list(language)) {
      for (Path current : versions.map(v -> v.resolve("current")).sorted().toList()) {
        Path json = current.resolve("language.json");
        if (Files.isRegularFile(json)
            && new Gson()
                .fromJson(Files.readString(json, StandardCharsets.UTF_8), Definition.class)
                .isDefault) {
          return Optional.of(current);
        }
      }
      return Optional.empty();
    } catch (IOException | JsonParseException e) {
      throw new IllegalArgumentException(
          "cannot read the versions in " + language + ": " + e.getMessage(), e);
    }
  }

  /**
   * A command for a program of one file {@code entry}: {@code {source}} and {@code {sources}} are
   * the file, {@code {stem}} its name without extension, {@code {options}} dropped.
   */
  public List<String> expand(List<String> command, String entry) {
    String stem = entry.contains(".") ? entry.substring(0, entry.lastIndexOf('.')) : entry;
    return command.stream()
        .filter(a -> !a.equals("{options}"))
        .map(
            a ->
                a.equals("{sources}")
                    ? entry
                    : a.replace("{source}", entry).replace("{stem}", stem))
        .toList();
  }

  /** The JSON shape of language.json (the fields used here). */
  private static final class Definition {
    String sourceFile;
    List<String> compile;
    List<String> run;
    Map<String, String> env;

    @com.google.gson.annotations.SerializedName("default")
    boolean isDefault;
  }
}
