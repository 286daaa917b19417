package dev.polyrun.worker.language;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.polyrun.config.StageLimits;
import dev.polyrun.queue.QueueNames;
import dev.polyrun.sandbox.PolicyOverride;
import dev.polyrun.sandbox.StageLimitsJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The languages whose images are built in an image directory, as {@code images/build} leaves them:
 * {@code <dir>/languages/<name>/<version>/current/} holding {@code rootfs/}, {@code language.json},
 * {@code version} and a {@code .complete} marker, one folder per version. Images of the older
 * single-version layout ({@code <dir>/<name>/current/}) are read too, as the only version of a
 * language that has none in the new layout. A definition's {@code "sandbox"} object is the
 * language's change to the sandbox policy. Immutable once loaded; thread-safe.
 */
public final class LanguageCatalog {
  private static final Gson GSON =
      new GsonBuilder().registerTypeAdapter(StageLimits.class, new StageLimitsJson()).create();

  /** Versions first by whether they are the default, then newest first. */
  private static final Comparator<InstalledLanguage> ORDER =
      Comparator.comparing((InstalledLanguage l) -> !l.definition().isDefault())
          .thenComparing(InstalledLanguage::versionName, VersionNames.NEWEST_FIRST);

  /** Name to versions, the default first. */
  private final Map<String, List<InstalledLanguage>> languages;

  private LanguageCatalog(Map<String, List<InstalledLanguage>> languages) {
    this.languages = languages;
  }

  /**
   * Loads every complete image in {@code imageDir}; a directory that does not exist holds none.
   *
   * @throws IllegalArgumentException when an image's definition is unreadable, naming the file
   * @throws UncheckedIOException when the directory cannot be read
   */
  public static LanguageCatalog load(Path imageDir) {
    Map<String, List<InstalledLanguage>> found = new TreeMap<>();
    try {
      Path versioned = imageDir.resolve("languages");
      for (Path language : list(versioned)) {
        for (Path version : list(language)) {
          addIfComplete(version.resolve("current"), found);
        }
      }
      for (Path legacy : list(imageDir)) {
        String name = legacy.getFileName().toString();
        if (!found.containsKey(name) && !name.equals("languages") && !name.equals("bases")) {
          addIfComplete(legacy.resolve("current"), found);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read image directory " + imageDir, e);
    }
    Map<String, List<InstalledLanguage>> sorted = new TreeMap<>();
    found.forEach((name, versions) -> sorted.put(name, versions.stream().sorted(ORDER).toList()));
    return new LanguageCatalog(sorted);
  }

  private static List<Path> list(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.filter(Files::isDirectory).sorted().toList();
    }
  }

  private static void addIfComplete(Path image, Map<String, List<InstalledLanguage>> found)
      throws IOException {
    if (Files.exists(image.resolve(".complete"))) {
      InstalledLanguage language = read(image);
      found.computeIfAbsent(language.name(), n -> new ArrayList<>()).add(language);
    }
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
        policy =
            PolicyOverride.of(
                sandbox.getAsJsonObject(), json + ": sandbox", PolicyOverride.Scope.LANGUAGE);
      }
    } catch (JsonParseException | IllegalStateException e) {
      throw new IllegalArgumentException(json + ": " + e.getMessage(), e);
    }
    if (definition == null
        || definition.name() == null
        || definition.run() == null
        || definition.sourceFile() == null
        || definition.limits() == null
        || definition.limits().run() == null
        || (definition.compiled() && definition.limits().compile() == null)) {
      throw new IllegalArgumentException(
          json
              + ": incomplete definition (expected: name, sourceFile, run,"
              + " limits.run, and limits.compile with compile)");
    }
    String version = Files.readString(image.resolve("version"), StandardCharsets.UTF_8).trim();
    Path real = image.toRealPath();
    return new InstalledLanguage(
        definition, version, real.resolve("rootfs"), real.getFileName().toString(), policy);
  }

  /** The default version of the language {@code name}. */
  public Optional<InstalledLanguage> find(String name) {
    return versions(name).stream().findFirst();
  }

  /**
   * The version {@code versionName} (a selector such as {@code "3.11"}) of the language {@code
   * name}; an empty selector means the default version.
   */
  public Optional<InstalledLanguage> find(String name, String versionName) {
    if (versionName == null || versionName.isEmpty()) {
      return find(name);
    }
    return versions(name).stream().filter(l -> l.versionName().equals(versionName)).findFirst();
  }

  /** Every installed version of the language {@code name}, the default first; empty if none. */
  public List<InstalledLanguage> versions(String name) {
    return languages.getOrDefault(name, List.of());
  }

  /** The default version of every language, sorted by name. */
  public List<InstalledLanguage> defaults() {
    return languages.values().stream().map(versions -> versions.get(0)).toList();
  }

  /** Every installed version of every language, sorted by name, each language's default first. */
  public List<InstalledLanguage> all() {
    return languages.values().stream().flatMap(List::stream).toList();
  }

  /**
   * The queues this catalog's jobs wait in ({@link QueueNames}): one per version, and each
   * language's own where the catalog has its default version.
   */
  public List<String> queueNames() {
    return all().stream()
        .flatMap(l -> QueueNames.forVersion(l.name(), l.versionName(), l.isDefault()).stream())
        .distinct()
        .toList();
  }

  /** The names of the installed languages, sorted. */
  public List<String> names() {
    return List.copyOf(languages.keySet());
  }

  public boolean isEmpty() {
    return languages.isEmpty();
  }

  /**
   * This catalog restricted to {@code names} (every language when empty): a worker that serves a
   * part of a mixed fleet. A name is a language ({@code python}: every version of it) or one
   * version ({@code python@3.11}). Names without an image here are left out.
   */
  public LanguageCatalog only(java.util.Collection<String> names) {
    if (names.isEmpty()) {
      return this;
    }
    Map<String, List<InstalledLanguage>> kept = new TreeMap<>();
    languages.forEach(
        (name, versions) -> {
          List<InstalledLanguage> chosen =
              versions.stream()
                  .filter(
                      v ->
                          names.contains(name)
                              || names.contains(name + QueueNames.VERSION + v.versionName()))
                  .toList();
          if (!chosen.isEmpty()) {
            kept.put(name, chosen);
          }
        });
    return new LanguageCatalog(kept);
  }
}
