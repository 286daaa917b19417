package dev.polyrun.worker.internal.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CommandsTest {
  private static final List<String> C = List.of(".c");

  private static SourceFiles files(String entry, String... paths) {
    return new SourceFiles(entry, List.of(paths));
  }

  @Test
  void sourceIsReplacedAndOptionsExpandToSeparateArguments() {
    List<String> argv =
        Commands.substitute(
            List.of("gcc", "-O2", "{options}", "-o", "main", "{source}"),
            files("src/main.c", "src/main.c"),
            C,
            List.of("-DX=1", "-Wall; rm -rf /"));

    assertThat(argv)
        .containsExactly("gcc", "-O2", "-DX=1", "-Wall; rm -rf /", "-o", "main", "src/main.c");
  }

  @Test
  void noOptionsLeaveNoEmptyArgument() {
    assertThat(
            Commands.substitute(
                List.of("cc", "{options}", "{source}"), files("main.c", "main.c"), C, List.of()))
        .containsExactly("cc", "main.c");
  }

  @Test
  void sourcesAreTheLanguagesFilesInRequestOrderWithTheEntryLast() {
    SourceFiles files = files("prog.c", "prog.c", "util.h", "util.c", "data.txt", "lib/more.c");

    assertThat(Commands.substitute(List.of("gcc", "-o", "main", "{sources}"), files, C, List.of()))
        .containsExactly("gcc", "-o", "main", "util.c", "lib/more.c", "prog.c");
  }

  @Test
  void theEntryIsASourceWhateverItsExtension() {
    assertThat(
            Commands.substitute(
                List.of("cc", "{sources}"), files("prog.txt", "prog.txt", "a.c"), C, List.of()))
        .containsExactly("cc", "a.c", "prog.txt");
  }

  @Test
  void stemIsTheEntryWithoutItsExtensionAlsoInsideAnArgument() {
    assertThat(
            Commands.substitute(
                List.of("node", "{stem}.js", "--file={source}"),
                files("src/app.v2.ts", "src/app.v2.ts"),
                List.of(".ts"),
                List.of()))
        .containsExactly("node", "src/app.v2.js", "--file=src/app.v2.ts");
  }

  @Test
  void stemOfAFileWithoutExtensionIsItsName() {
    assertThat(
            Commands.substitute(List.of("{stem}"), files("dir.x/prog", "dir.x/prog"), C, List.of()))
        .containsExactly("dir.x/prog");
  }

  @Test
  void aPathStartingWithADashCannotBeReadAsAnOption() {
    assertThat(
            Commands.substitute(
                List.of("cc", "{sources}", "-o", "{stem}"),
                files("-rf.c", "-rf.c", "-x.c"),
                C,
                List.of()))
        .containsExactly("cc", "./-x.c", "./-rf.c", "-o", "./-rf");
  }
}
