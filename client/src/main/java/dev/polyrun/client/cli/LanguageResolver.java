package dev.polyrun.client.cli;

import dev.polyrun.proto.v1.Language;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiPredicate;

/**
 * Picks the language of a file from its extension, using the extensions the cluster reports. The
 * longest matching extension wins ({@code .test.js} over {@code .js}); an exact-case match wins
 * over one that ignores case ({@code .C} may be C++ where {@code .c} is C).
 */
final class LanguageResolver {
  private LanguageResolver() {}

  /**
   * The language of {@code fileName}.
   *
   * @throws UsageException when no language (or more than one) claims the extension; the message
   *     lists the known extensions
   */
  static Language resolve(List<Language> languages, String fileName) {
    if (languages.isEmpty()) {
      throw new UsageException(
          "cannot tell the language of '"
              + fileName
              + "': the service lists no languages"
              + " (no worker has registered yet?)");
    }
    List<Language> found = longestMatches(languages, fileName, String::endsWith);
    if (found.isEmpty()) {
      found = longestMatches(languages, fileName, LanguageResolver::endsWithIgnoreCase);
    }
    if (found.size() == 1) {
      return found.get(0);
    }
    if (found.isEmpty()) {
      throw new UsageException(
          "cannot tell the language of '"
              + fileName
              + "' from its extension (known extensions: "
              + knownExtensions(languages)
              + "; or pass --lang NAME)");
    }
    List<String> names = found.stream().map(Language::getName).sorted().toList();
    throw new UsageException(
        "the extension of '"
            + fileName
            + "' belongs to several languages: "
            + String.join(", ", names)
            + " (pass --lang NAME)");
  }

  private static List<Language> longestMatches(
      List<Language> languages, String fileName, BiPredicate<String, String> endsWith) {
    List<Language> found = new ArrayList<>();
    int longest = 0;
    for (Language language : languages) {
      for (String extension : language.getExtensionsList()) {
        String ext = dotted(extension);
        // The name must have a stem: a file called just ".py" has no extension.
        if (ext.length() < 2
            || fileName.length() <= ext.length()
            || !endsWith.test(fileName, ext)) {
          continue;
        }
        if (ext.length() > longest) {
          found.clear();
          longest = ext.length();
        }
        if (ext.length() == longest && !found.contains(language)) {
          found.add(language);
        }
      }
    }
    return found;
  }

  /** {@code ".c (c), .cc (cpp), .py (python)"}, sorted by extension. */
  static String knownExtensions(List<Language> languages) {
    TreeMap<String, TreeSet<String>> byExtension = new TreeMap<>();
    for (Language language : languages) {
      for (String extension : language.getExtensionsList()) {
        byExtension
            .computeIfAbsent(dotted(extension), e -> new TreeSet<>())
            .add(language.getName());
      }
    }
    if (byExtension.isEmpty()) {
      return "none";
    }
    List<String> parts = new ArrayList<>();
    byExtension.forEach((ext, names) -> parts.add(ext + " (" + String.join(", ", names) + ")"));
    return String.join(", ", parts);
  }

  private static String dotted(String extension) {
    String ext = extension.strip();
    return ext.startsWith(".") ? ext : "." + ext;
  }

  private static boolean endsWithIgnoreCase(String name, String suffix) {
    return name.toLowerCase(Locale.ROOT).endsWith(suffix.toLowerCase(Locale.ROOT));
  }
}
