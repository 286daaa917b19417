package dev.polyrun.worker.language;

import static org.assertj.core.api.Assertions.assertThat;

import dev.polyrun.proto.v1.Language;
import dev.polyrun.proto.v1.LanguageVersion;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LanguageDescriptionsTest {
  @TempDir Path images;

  @Test
  void eachLanguageListsEveryVersionWithItsProbedVersionLibrariesAndLimits() throws IOException {
    LanguageCatalogTest.image(
        images.resolve("languages/python-scientific/3.11"),
        LanguageCatalogTest.definition("python-scientific", "3.11", false, "\"NumPy 1.24.2\""),
        "3.11.2",
        true);
    LanguageCatalogTest.image(
        images.resolve("languages/python-scientific/3.13"),
        LanguageCatalogTest.definition(
            "python-scientific", "3.13", true, "\"NumPy 2.2.4\", \"pandas 2.2.3\""),
        "3.13.5",
        true);

    Language language = LanguageDescriptions.of(LanguageCatalog.load(images)).get(0);

    assertThat(language.getName()).isEqualTo("python-scientific");
    assertThat(language.getVersion()).isEqualTo("3.13.5");
    assertThat(language.getLibrariesList()).containsExactly("NumPy 2.2.4", "pandas 2.2.3");
    assertThat(language.getDefaultRunLimits().getMemoryBytes()).isEqualTo(1048576);
    assertThat(language.getCompiled()).isFalse();
    assertThat(language.getVersionsList())
        .extracting(
            LanguageVersion::getName, LanguageVersion::getVersion, LanguageVersion::getIsDefault)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("3.13", "3.13.5", true),
            org.assertj.core.groups.Tuple.tuple("3.11", "3.11.2", false));
    assertThat(language.getVersions(1).getLibrariesList()).containsExactly("NumPy 1.24.2");
    assertThat(language.getVersions(1).getDefaultRunLimits().getCpuTimeMs()).isEqualTo(1000);
    assertThat(language.getVersions(1).hasDefaultCompileLimits()).isFalse();
  }

  @Test
  void aWorkerWithoutTheDefaultVersionMarksNoneOfItsVersionsDefault() throws IOException {
    LanguageCatalogTest.image(
        images.resolve("languages/python/3.11"),
        LanguageCatalogTest.definition("python", "3.11", false, ""),
        "3.11.2",
        true);

    Language language = LanguageDescriptions.of(LanguageCatalog.load(images)).get(0);

    assertThat(language.getVersionsList())
        .extracting(LanguageVersion::getName, LanguageVersion::getIsDefault)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("3.11", false));
  }
}
