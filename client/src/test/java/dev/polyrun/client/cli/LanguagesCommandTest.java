package dev.polyrun.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.polyrun.proto.v1.Language;
import java.util.List;
import org.junit.jupiter.api.Test;

class LanguagesCommandTest {
  @Test
  void tableIsSortedByNameInAlignedColumns() {
    List<Language> languages =
        List.of(
            Language.newBuilder()
                .setName("python")
                .setVersion("Python 3.11.2\n")
                .setSourceFile("main.py")
                .addExtensions(".py")
                .build(),
            Language.newBuilder()
                .setName("c")
                .setVersion("gcc 12.2.0")
                .setSourceFile("main.c")
                .addExtensions(".c")
                .addExtensions(".h")
                .setCompiled(true)
                .build());

    assertThat(LanguagesCommand.table(languages))
        .isEqualTo(
            """
            NAME    VERSION        SOURCE   EXTENSIONS  COMPILED
            c       gcc 12.2.0     main.c   .c .h       yes
            python  Python 3.11.2  main.py  .py         no
            """);
  }

  @Test
  void emptyListIsJustTheHeader() {
    assertThat(LanguagesCommand.table(List.of()))
        .isEqualTo("NAME  VERSION  SOURCE  EXTENSIONS  COMPILED\n");
  }
}
