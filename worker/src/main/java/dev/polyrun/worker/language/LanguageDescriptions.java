package dev.polyrun.worker.language;

import dev.polyrun.proto.v1.Language;
import dev.polyrun.proto.v1.LanguageVersion;
import dev.polyrun.queue.LimitsProto;
import java.util.List;

/** The catalog as the contract lists it: one {@link Language} per name, with every version. */
public final class LanguageDescriptions {
  private LanguageDescriptions() {}

  /** One entry per language, sorted by name; its top-level fields describe the default version. */
  public static List<Language> of(LanguageCatalog catalog) {
    return catalog.names().stream().map(name -> describe(catalog.versions(name))).toList();
  }

  /** Describes a language from its versions, the default first. */
  static Language describe(List<InstalledLanguage> versions) {
    InstalledLanguage first = versions.get(0);
    LanguageDefinition def = first.definition();
    Language.Builder b =
        Language.newBuilder()
            .setName(def.name())
            .setDisplayName(def.displayName() == null ? def.name() : def.displayName())
            .setVersion(first.version())
            .setSourceFile(def.sourceFile())
            .setCompiled(def.compiled())
            .addAllExtensions(def.sourceExtensions())
            .addAllLibraries(def.libraryList())
            .setDefaultRunLimits(LimitsProto.toProto(def.limits().run()));
    if (def.compiled() && def.limits().compile() != null) {
      b.setDefaultCompileLimits(LimitsProto.toProto(def.limits().compile()));
    }
    for (InstalledLanguage version : versions) {
      // the definition's mark, not the position: a worker without the default version lists none
      b.addVersions(describeVersion(version, version.isDefault()));
    }
    return b.build();
  }

  private static LanguageVersion describeVersion(InstalledLanguage language, boolean isDefault) {
    LanguageDefinition def = language.definition();
    LanguageVersion.Builder v =
        LanguageVersion.newBuilder()
            .setName(language.versionName())
            .setVersion(language.version())
            .setIsDefault(isDefault)
            .addAllLibraries(def.libraryList())
            .setDefaultRunLimits(LimitsProto.toProto(def.limits().run()));
    if (def.compiled() && def.limits().compile() != null) {
      v.setDefaultCompileLimits(LimitsProto.toProto(def.limits().compile()));
    }
    return v.build();
  }
}
