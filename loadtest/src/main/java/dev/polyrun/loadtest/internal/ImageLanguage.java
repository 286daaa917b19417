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
 * the definition's source file name, compile and run commands and environment (read from
 * {@code <images>/<lang>/current/language.json}).
 *
 * @param compile the compile command, empty for an interpreted language
 */
public record ImageLanguage(String name, Path rootfs, String sourceFile, List<String> compile, List<String> run,
    Map<String, String> env) {

  /** The image of {@code language} in {@code imageDir}, if it is built. */
  public static Optional<ImageLanguage> find(Path imageDir, String language) {
    Path current = imageDir.resolve(language).resolve("current");
    Path definition = current.resolve("language.json");
    if (!Files.isRegularFile(definition) || !Files.isDirectory(current.resolve("rootfs"))) {
      return Optional.empty();
    }
    try {
      Definition d = new Gson().fromJson(Files.readString(definition, StandardCharsets.UTF_8), Definition.class);
      if (d == null || d.sourceFile == null || d.run == null) {
        throw new IllegalArgumentException(definition + ": no sourceFile or run command");
      }
      return Optional.of(new ImageLanguage(language, current.resolve("rootfs").toRealPath(), d.sourceFile,
          d.compile == null ? List.of() : List.copyOf(d.compile), List.copyOf(d.run),
          d.env == null ? Map.of() : Map.copyOf(d.env)));
    } catch (IOException | JsonParseException e) {
      throw new IllegalArgumentException("cannot read " + definition + ": " + e.getMessage(), e);
    }
  }

  public boolean compiled() {
    return !compile.isEmpty();
  }

  /** A command with {@code {source}} replaced by the entry file and {@code {options}} dropped. */
  public List<String> expand(List<String> command, String entry) {
    return command.stream().filter(a -> !a.equals("{options}")).map(a -> a.replace("{source}", entry)).toList();
  }

  /** The JSON shape of language.json (the fields used here). */
  private static final class Definition {
    String sourceFile;
    List<String> compile;
    List<String> run;
    Map<String, String> env;
  }
}
