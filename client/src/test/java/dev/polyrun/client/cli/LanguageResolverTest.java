package dev.polyrun.client.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.polyrun.proto.v1.Language;
import java.util.List;
import org.junit.jupiter.api.Test;

class LanguageResolverTest {
  private static Language language(String name, String... extensions) {
    return Language.newBuilder().setName(name).addAllExtensions(List.of(extensions)).build();
  }

  private static final List<Language> LANGUAGES =
      List.of(
          language("python", ".py"),
          language("c", ".c", ".h"),
          language("cpp", ".cpp", ".cc", ".C"),
          language("javascript", ".js"),
          language("jest", ".test.js"),
          language("kotlin", "kt"));

  private static String resolve(String fileName) {
    return LanguageResolver.resolve(LANGUAGES, fileName).getName();
  }

  @Test
  void extensionPicksTheLanguage() {
    assertThat(resolve("main.py")).isEqualTo("python");
    assertThat(resolve("util.h")).isEqualTo("c");
  }

  @Test
  void longestExtensionWins() {
    assertThat(resolve("app.test.js")).isEqualTo("jest");
    assertThat(resolve("app.js")).isEqualTo("javascript");
  }

  @Test
  void exactCaseWinsOverIgnoringCase() {
    assertThat(resolve("main.c")).isEqualTo("c");
    assertThat(resolve("main.C")).isEqualTo("cpp");
  }

  @Test
  void caseIsIgnoredWhenNothingMatchesExactly() {
    assertThat(resolve("MAIN.PY")).isEqualTo("python");
  }

  @Test
  void extensionsReportedWithoutADotStillMatch() {
    assertThat(resolve("Main.kt")).isEqualTo("kotlin");
  }

  @Test
  void unknownExtensionListsTheKnownOnes() {
    assertThatThrownBy(() -> resolve("prog.rs"))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("cannot tell the language of 'prog.rs'")
        .hasMessageContaining(".py (python)")
        .hasMessageContaining(".c (c)")
        .hasMessageContaining(".kt (kotlin)")
        .hasMessageContaining("--lang NAME");
  }

  @Test
  void fileWithoutAStemHasNoExtension() {
    assertThatThrownBy(() -> resolve(".py")).isInstanceOf(UsageException.class);
    assertThatThrownBy(() -> resolve("Makefile")).isInstanceOf(UsageException.class);
  }

  @Test
  void extensionClaimedByTwoLanguagesAsksForLang() {
    List<Language> languages = List.of(language("python", ".py"), language("pypy", ".py"));

    assertThatThrownBy(() -> LanguageResolver.resolve(languages, "a.py"))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("pypy, python")
        .hasMessageContaining("--lang NAME");
  }

  @Test
  void noLanguagesAtAllSaysSo() {
    assertThatThrownBy(() -> LanguageResolver.resolve(List.of(), "a.py"))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("lists no languages");
  }

  @Test
  void knownExtensionsAreSortedAndNameTheirLanguages() {
    List<Language> languages = List.of(language("python", ".py"), language("c", "c", ".h"));

    assertThat(LanguageResolver.knownExtensions(languages))
        .isEqualTo(".c (c), .h (c), .py (python)");
  }
}
