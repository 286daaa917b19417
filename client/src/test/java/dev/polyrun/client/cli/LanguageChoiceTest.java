package dev.polyrun.client.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LanguageChoiceTest {
  @Test
  void aNameAloneTakesTheDefaultVersion() {
    assertThat(LanguageChoice.parse("python", null)).isEqualTo(new LanguageChoice("python", ""));
  }

  @Test
  void aVersionFollowsTheNameAfterAnAt() {
    assertThat(LanguageChoice.parse("python@3.11", null))
        .isEqualTo(new LanguageChoice("python", "3.11"));
  }

  @Test
  void versionOptionAloneKeepsTheLanguageOfTheExtension() {
    assertThat(LanguageChoice.parse(null, "3.11")).isEqualTo(new LanguageChoice(null, "3.11"));
  }

  @Test
  void theSameVersionTwiceIsFineButTwoDifferentOnesAreRefused() {
    assertThat(LanguageChoice.parse("python@3.11", "3.11"))
        .isEqualTo(new LanguageChoice("python", "3.11"));
    assertThatThrownBy(() -> LanguageChoice.parse("python@3.11", "3.13"))
        .isInstanceOf(UsageException.class)
        .hasMessage(
            "--lang python@3.11 and --version 3.13 name different versions (expected: one of them, or the same)");
  }

  @Test
  void emptyPartsAreRefusedWithTheExpectedForm() {
    assertThatThrownBy(() -> LanguageChoice.parse("python@", null))
        .hasMessage(
            "--lang 'python@': no version after '@' (expected: NAME or NAME@VERSION, e.g. python@3.11)");
    assertThatThrownBy(() -> LanguageChoice.parse("@3.11", null))
        .hasMessage(
            "--lang '@3.11': no language name (expected: NAME or NAME@VERSION, e.g. python@3.11)");
    assertThatThrownBy(() -> LanguageChoice.parse(null, ""))
        .hasMessageStartingWith("--version '': empty");
  }
}
