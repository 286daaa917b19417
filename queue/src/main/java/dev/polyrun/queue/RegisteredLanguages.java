package dev.polyrun.queue;

import dev.polyrun.proto.v1.Language;
import dev.polyrun.proto.v1.LanguageVersion;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The language registry as workers write it and clients read it. Each worker writes its view of a
 * language under a field named by the language and the versions it has, so that workers with
 * different versions of a language (a mixed fleet) do not overwrite each other; a read merges
 * the views of a language into one entry, with every version some worker advertised within the
 * retention. Pure.
 */
final class RegisteredLanguages {
  private RegisteredLanguages() {}

  /** The registry field of one worker's view of a language: {@code python@3.13,3.11}. */
  static String field(Language language) {
    List<String> versions = language.getVersionsList().stream().map(LanguageVersion::getName).sorted().toList();
    return language.getName() + QueueNames.VERSION + String.join(",", versions);
  }

  /**
   * One entry per language, sorted by name: the versions of every view whose queue is in {@code
   * live} (each once, the default first), the top-level fields from the view that has the
   * default version (else from the first view). A language none of whose versions is live is left
   * out; a view without versions (an older worker's) counts as live when its language's queue is.
   */
  static List<Language> merge(Collection<Language> views, Set<String> live) {
    Map<String, List<Language>> byName = new TreeMap<>();
    views.stream()
        .sorted(Comparator.comparing(RegisteredLanguages::field))
        .forEach(v -> byName.computeIfAbsent(v.getName(), n -> new ArrayList<>()).add(v));
    List<Language> merged = new ArrayList<>();
    byName.forEach((name, list) -> {
      Map<String, LanguageVersion> versions = new LinkedHashMap<>();
      Language top = null;
      for (Language view : list) {
        for (LanguageVersion v : view.getVersionsList()) {
          if (live.contains(QueueNames.of(name, v.getName(), v.getIsDefault())) && !versions.containsKey(v.getName())) {
            versions.put(v.getName(), v);
            if (v.getIsDefault()) {
              top = view;
            }
          }
        }
        if (view.getVersionsCount() == 0 && live.contains(name) && top == null) {
          top = view;
        }
      }
      if (versions.isEmpty() && top == null) {
        return;
      }
      Language base = top != null ? top : list.get(0);
      List<LanguageVersion> ordered = new ArrayList<>(versions.values());
      ordered.sort(Comparator.comparing((LanguageVersion v) -> !v.getIsDefault()));
      merged.add(base.toBuilder().clearVersions().addAllVersions(ordered).build());
    });
    return merged;
  }
}
