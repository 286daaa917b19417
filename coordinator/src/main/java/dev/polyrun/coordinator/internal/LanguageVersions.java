package dev.polyrun.coordinator.internal;

import dev.polyrun.proto.v1.Language;
import dev.polyrun.proto.v1.LanguageVersion;
import java.util.List;
import java.util.Optional;

/** Picks a version of an advertised language by its selector. Pure. */
final class LanguageVersions {
  private LanguageVersions() {}

  /**
   * The version {@code selector} names ({@code "3.11"}), or the default one for an empty selector.
   * A language advertised without versions (by a worker older than versions) has one: itself.
   */
  static Optional<LanguageVersion> find(Language language, String selector) {
    List<LanguageVersion> versions = versions(language);
    if (selector.isEmpty()) {
      return versions.stream()
          .filter(LanguageVersion::getIsDefault)
          .findFirst()
          .or(() -> versions.stream().findFirst());
    }
    return versions.stream().filter(v -> v.getName().equals(selector)).findFirst();
  }

  /**
   * The version a validated request runs: the one it names, else the default one. When no live
   * worker has the default version (only others are listed), an unnamed default (its language's own
   * queue, which no worker reads then) rather than another version: an empty selector never runs a
   * version the client did not ask for.
   */
  static LanguageVersion of(List<Language> languages, dev.polyrun.proto.v1.SubmitRequest request) {
    Optional<Language> language =
        languages.stream().filter(l -> l.getName().equals(request.getLanguage())).findFirst();
    if (language.isPresent() && language.get().getVersionsCount() == 0) {
      // a worker older than versions: its jobs wait in its language's own queue
      return LanguageVersion.newBuilder().setIsDefault(true).build();
    }
    if (request.getVersion().isEmpty()) {
      return language
          .flatMap(l -> versions(l).stream().filter(LanguageVersion::getIsDefault).findFirst())
          .orElse(LanguageVersion.newBuilder().setIsDefault(true).build());
    }
    return language
        .flatMap(l -> find(l, request.getVersion()))
        .orElse(LanguageVersion.newBuilder().setIsDefault(true).build());
  }

  /** The selectors of the language's versions, the default first. */
  static List<String> names(Language language) {
    return versions(language).stream().map(LanguageVersion::getName).toList();
  }

  private static List<LanguageVersion> versions(Language language) {
    if (language.getVersionsCount() > 0) {
      return language.getVersionsList();
    }
    return List.of(
        LanguageVersion.newBuilder()
            .setName(language.getVersion())
            .setVersion(language.getVersion())
            .setIsDefault(true)
            .addAllLibraries(language.getLibrariesList())
            .setDefaultCompileLimits(language.getDefaultCompileLimits())
            .setDefaultRunLimits(language.getDefaultRunLimits())
            .build());
  }
}
