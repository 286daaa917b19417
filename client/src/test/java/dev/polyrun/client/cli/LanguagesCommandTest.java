package dev.polyrun.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.polyrun.proto.v1.Language;
import dev.polyrun.proto.v1.LanguageVersion;
import java.util.List;
import org.junit.jupiter.api.Test;

class LanguagesCommandTest {
  @Test
  void tableHasOneLinePerVersionSortedByNameWithTheDefaultMarked() {
    List<Language> languages =
        List.of(
            Language.newBuilder()
                .setName("python-scientific")
                .setVersion("3.13.5")
                .setSourceFile("main.py")
                .addVersions(
                    LanguageVersion.newBuilder()
                        .setName("3.13")
                        .setVersion("3.13.5")
                        .setIsDefault(true)
                        .addLibraries("NumPy 2.2.4")
                        .addLibraries("pandas 2.2.3"))
                .addVersions(
                    LanguageVersion.newBuilder()
                        .setName("3.11")
                        .setVersion("Python 3.11.2\n")
                        .addLibraries("NumPy 1.24.2"))
                .build(),
            Language.newBuilder()
                .setName("c")
                .setVersion("14.2.0")
                .setSourceFile("main.c")
                .addExtensions(".c")
                .addExtensions(".h")
                .setCompiled(true)
                .addVersions(
                    LanguageVersion.newBuilder()
                        .setName("14")
                        .setVersion("14.2.0")
                        .setIsDefault(true))
                .build());

    assertThat(LanguagesCommand.table(languages))
        .isEqualTo(
            """
            NAME               VERSION         PROBED         SOURCE   EXTENSIONS  COMPILED  LIBRARIES
            c                  14 (default)    14.2.0         main.c   .c .h       yes
            python-scientific  3.13 (default)  3.13.5         main.py  -           no        NumPy 2.2.4, pandas 2.2.3
            python-scientific  3.11            Python 3.11.2  main.py  -           no        NumPy 1.24.2
            """);
  }

  @Test
  void aLanguageListedWithoutVersionsHasOneLine() {
    Language old =
        Language.newBuilder()
            .setName("lua")
            .setVersion("5.4.4")
            .setSourceFile("main.lua")
            .addExtensions(".lua")
            .build();

    assertThat(LanguagesCommand.table(List.of(old)))
        .isEqualTo(
            """
            NAME  VERSION  PROBED  SOURCE    EXTENSIONS  COMPILED  LIBRARIES
            lua   -        5.4.4   main.lua  .lua        no
            """);
  }

  @Test
  void emptyListIsJustTheHeader() {
    assertThat(LanguagesCommand.table(List.of()))
        .isEqualTo("NAME  VERSION  PROBED  SOURCE  EXTENSIONS  COMPILED  LIBRARIES\n");
  }
}
