package dev.polyrun.worker.language;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.polyrun.config.StageLimits;
import dev.polyrun.sandbox.PolicyOverride;
import dev.polyrun.sandbox.SandboxPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LanguageCatalogTest {
  @TempDir Path images;

  /** An image as images/build publishes it: a hash folder, current pointing at it. */
  static Path image(Path versionDir, String json, String probed, boolean complete)
      throws IOException {
    Path hash = versionDir.resolve("0123456789abcdef");
    Files.createDirectories(hash.resolve("rootfs"));
    Files.writeString(hash.resolve("language.json"), json);
    Files.writeString(hash.resolve("version"), probed + "\n");
    if (complete) {
      Files.writeString(hash.resolve(".complete"), "");
    }
    Files.createSymbolicLink(versionDir.resolve("current"), hash.getFileName());
    return hash;
  }

  static String definition(String name, String versionName, boolean isDefault, String libraries) {
    return """
        {"name": "%s", "displayName": "X", "sourceFile": "main.x", "extensions": [".x"], "compile": null,
         "run": ["x", "{source}"], "env": {"PATH": "/usr/bin"},
         "limits": {"run": {"cpuTimeMs": 1000, "wallTimeMs": 2000, "memoryBytes": 1048576, "maxProcesses": 8,
                            "outputBytes": 1024, "fileSizeBytes": 1024}},
         "versionName": "%s", "suite": "trixie", "default": %s, "libraries": [%s]}
        """
        .formatted(name, versionName, isDefault, libraries);
  }

  private void version(String name, String versionName, boolean isDefault, String probed)
      throws IOException {
    image(
        images.resolve("languages").resolve(name).resolve(versionName),
        definition(name, versionName, isDefault, "\"lib 1.0\""),
        probed,
        true);
  }

  @Test
  void versionsAreListedDefaultFirstThenNewestFirst() throws IOException {
    version("python", "3.9", false, "3.9.2");
    version("python", "3.11", false, "3.11.2");
    version("python", "3.13", true, "3.13.5");
    version("python", "3.10", false, "3.10.1");

    LanguageCatalog catalog = LanguageCatalog.load(images);

    assertThat(catalog.versions("python"))
        .extracting(InstalledLanguage::versionName)
        .containsExactly("3.13", "3.11", "3.10", "3.9");
    assertThat(catalog.find("python").orElseThrow().version()).isEqualTo("3.13.5");
    assertThat(catalog.find("python", "").orElseThrow().versionName()).isEqualTo("3.13");
    assertThat(catalog.find("python", "3.10").orElseThrow().version()).isEqualTo("3.10.1");
    assertThat(catalog.find("python", "3.10").orElseThrow().definition().libraryList())
        .containsExactly("lib 1.0");
    assertThat(catalog.find("python", "2.7")).isEmpty();
    assertThat(catalog.find("ruby")).isEmpty();
  }

  @Test
  void aWorkerReadsOneQueuePerVersionAndItsLanguagesOwnForTheDefault() throws IOException {
    version("python", "3.11", false, "3.11.2");
    version("python", "3.13", true, "3.13.5");
    version("c", "14", true, "14.2.0");

    LanguageCatalog catalog = LanguageCatalog.load(images);

    assertThat(catalog.queueNames())
        .containsExactly("c@14", "c", "python@3.13", "python", "python@3.11");
    assertThat(catalog.only(List.of("python@3.11")).queueNames()).containsExactly("python@3.11");
    assertThat(catalog.only(List.of("python@3.13", "c")).queueNames())
        .containsExactly("c@14", "c", "python@3.13", "python");
    assertThat(catalog.only(List.of("python")).queueNames())
        .containsExactly("python@3.13", "python", "python@3.11");
    assertThat(catalog.only(List.of("python@2.7")).isEmpty()).isTrue();
  }

  @Test
  void withoutADefaultTheNewestIsFirst() throws IOException {
    version("go", "1.19", false, "1.19.8");
    version("go", "1.24", false, "1.24.4");

    assertThat(LanguageCatalog.load(images).find("go").orElseThrow().versionName())
        .isEqualTo("1.24");
  }

  @Test
  void defaultsAndAllCoverEveryLanguageSortedByName() throws IOException {
    version("python", "3.11", false, "3.11.2");
    version("python", "3.13", true, "3.13.5");
    version("c", "14", true, "14.2.0");

    LanguageCatalog catalog = LanguageCatalog.load(images);

    assertThat(catalog.names()).containsExactly("c", "python");
    assertThat(catalog.defaults())
        .extracting(l -> l.name() + "@" + l.versionName())
        .containsExactly("c@14", "python@3.13");
    assertThat(catalog.all())
        .extracting(l -> l.name() + "@" + l.versionName())
        .containsExactly("c@14", "python@3.13", "python@3.11");
  }

  @Test
  void aDefinitionsLimitsAreTheOneStageLimitsType() throws IOException {
    version("lua", "5.4", true, "5.4.6");

    StageLimits run =
        LanguageCatalog.load(images).find("lua").orElseThrow().definition().limits().run();

    assertThat(run)
        .isEqualTo(
            new StageLimits(Duration.ofSeconds(1), Duration.ofSeconds(2), 1048576, 8, 1024, 1024));
    assertThat(run.isComplete()).isTrue();
  }

  @Test
  void aDefinitionWithoutOneOfItsLimitsIsRefusedNamingIt() throws IOException {
    image(
        images.resolve("languages/lua/5.4"),
        definition("lua", "5.4", true, "").replace("\"maxProcesses\": 8,", ""),
        "5.4.6",
        true);

    assertThatThrownBy(() -> LanguageCatalog.load(images))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("language.json: ")
        .hasMessageEndingWith(
            "stage limits.maxProcesses: missing (expected: a whole number from 1 to 2147483647)");
  }

  @Test
  void aCompiledLanguageWithoutCompileLimitsIsRefused() throws IOException {
    image(
        images.resolve("languages/c/14"),
        definition("c", "14", true, "")
            .replace("\"compile\": null", "\"compile\": [\"cc\", \"{source}\"]"),
        "14.2.0",
        true);

    assertThatThrownBy(() -> LanguageCatalog.load(images))
        .hasMessageEndingWith(
            "incomplete definition (expected: name, sourceFile, run, limits.run, and limits.compile"
                + " with compile)");
  }

  @Test
  void anIncompleteImageIsNeverUsed() throws IOException {
    image(
        images.resolve("languages/ruby/3.3"), definition("ruby", "3.3", true, ""), "3.3.8", false);

    assertThat(LanguageCatalog.load(images).isEmpty()).isTrue();
  }

  @Test
  void anImageOfTheSingleVersionLayoutIsTheOnlyVersionOfItsLanguage() throws IOException {
    String old =
        """
        {"name": "lua", "sourceFile": "main.lua", "run": ["lua", "{source}"],
         "limits": {"run": {"cpuTimeMs": 1000, "wallTimeMs": 2000, "memoryBytes": 1048576, "maxProcesses": 8,
                            "outputBytes": 1024, "fileSizeBytes": 1024}}}
        """;
    Files.createDirectories(images.resolve("lua"));
    image(images.resolve("lua"), old, "5.4.4", true);

    LanguageCatalog catalog = LanguageCatalog.load(images);

    assertThat(catalog.versions("lua"))
        .singleElement()
        .satisfies(
            lua -> {
              assertThat(lua.versionName()).isEqualTo("5.4.4");
              assertThat(lua.definition().libraryList()).isEmpty();
            });
    assertThat(catalog.find("lua", "5.4.4")).isPresent();
  }

  @Test
  void theNewLayoutHidesTheSingleVersionImageOfTheSameLanguage() throws IOException {
    Files.createDirectories(images.resolve("python"));
    image(images.resolve("python"), definition("python", "", true, ""), "3.11.2", true);
    version("python", "3.13", true, "3.13.5");

    assertThat(LanguageCatalog.load(images).versions("python"))
        .extracting(InstalledLanguage::version)
        .containsExactly("3.13.5");
  }

  @Test
  void aMissingDirectoryHoldsNoLanguage() {
    assertThat(LanguageCatalog.load(images.resolve("absent")).isEmpty()).isTrue();
  }

  @Test
  void aLanguagesSandboxObjectIsItsChangeToThePolicy() throws IOException {
    image(
        images.resolve("languages/go/1.24"),
        definition("go", "1.24", true, "")
            .replace("\"suite\"", "\"sandbox\": {\"rlimits\": {\"nofile\": 2048}}, \"suite\""),
        "1.24.4",
        true);
    version("c", "14", true, "14.2.0");

    LanguageCatalog catalog = LanguageCatalog.load(images);

    PolicyOverride go = catalog.find("go").orElseThrow().sandboxPolicy();
    assertThat(go.scope()).isEqualTo(PolicyOverride.Scope.LANGUAGE);
    assertThat(SandboxPolicy.defaults().with(go).rlimits().nofile()).isEqualTo(2048);
    assertThat(catalog.find("c").orElseThrow().sandboxPolicy().isEmpty()).isTrue();
  }

  @Test
  void aLanguageThatLoosensIsolationIsRefusedNamingItsFile() throws IOException {
    image(
        images.resolve("languages/bad/1"),
        definition("bad", "1", true, "")
            .replace("\"suite\"", "\"sandbox\": {\"namespaces\": [\"mount\"]}, \"suite\""),
        "1",
        true);

    assertThatThrownBy(() -> LanguageCatalog.load(images))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(
            "bad/1/current/language.json: sandbox: namespaces: a language may not change it");
  }
}
