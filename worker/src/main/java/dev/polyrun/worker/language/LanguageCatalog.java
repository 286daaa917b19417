package dev.polyrun.worker.language;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.polyrun.sandbox.PolicyOverride;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The languages whose images are built in an image directory, as {@code images/build} leaves
 * them: {@code <dir>/<name>/current/} holding {@code rootfs/}, {@code language.json},
 * {@code version} and a {@code .complete} marker. A definition's {@code "sandbox"} object is the
 * language's change to the sandbox policy. Immutable once loaded.
 */
public final class LanguageCatalog {
  private static final Gson GSON = new Gson();
  private final Map<String, InstalledLanguage> languages;

  private LanguageCatalog(Map<String, InstalledLanguage> languages) {
    this.languages = languages;
  }

  /**
   * Loads every complete image in {@code imageDir}.
   *
   * @throws IllegalArgumentException when an image's definition is unreadable, naming the file
   */
  public static LanguageCatalog load(Path imageDir) {
    Map<String, InstalledLanguage> found = new TreeMap<>();
    if (!Files.isDirectory(imageDir)) {
      return new LanguageCatalog(found);
    }
    try (Stream<Path> dirs = Files.list(imageDir)) {
      for (Path dir : dirs.sorted().toList()) {
        Path current = dir.resolve("current");
        if (Files.exists(current.resolve(".complete"))) {
          InstalledLanguage language = read(current);
          found.put(language.definition().name(), language);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read image directory " + imageDir, e);
    }
    return new LanguageCatalog(found);
  }

  private static InstalledLanguage read(Path image) throws IOException {
    Path json = image.resolve("language.json");
    LanguageDefinition definition;
    PolicyOverride policy = PolicyOverride.none();
    try {
      String text = Files.readString(json, StandardCharsets.UTF_8);
      definition = GSON.fromJson(text, LanguageDefinition.class);
      JsonElement sandbox = JsonParser.parseString(text).getAsJsonObject().get("sandbox");
      if (sandbox != null && sandbox.isJsonObject()) {
        policy = PolicyOverride.of(sandbox.getAsJsonObject(), json + ": sandbox", PolicyOverride.Scope.LANGUAGE);
      }
    } catch (JsonParseException | IllegalStateException e) {
      throw new IllegalArgumentException(json + ": " + e.getMessage(), e);
    }
    if (definition == null || definition.name() == null || definition.run() == null
        || definition.sourceFile() == null || definition.limits() == null) {
      throw new IllegalArgumentException(
          json + ": incomplete definition (expected: name, sourceFile, run and limits)");
    }
    String version = Files.readString(image.resolve("version"), StandardCharsets.UTF_8).trim();
    Path real = image.toRealPath();
    return new InstalledLanguage(definition, version, real.resolve("rootfs"), real.getFileName().toString(), policy);
  }

  public Optional<InstalledLanguage> find(String name) {
    return Optional.ofNullable(languages.get(name));
  }

  /** All installed languages, sorted by name. */
  public Collection<InstalledLanguage> all() {
    return List.copyOf(new ArrayList<>(languages.values()));
  }

  public boolean isEmpty() {
    return languages.isEmpty();
  }
}
