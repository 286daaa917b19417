package dev.polyrun.worker.internal.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CommandsTest {
  @Test
  void sourceIsReplacedAndOptionsExpandToSeparateArguments() {
    List<String> argv = Commands.substitute(
        List.of("gcc", "-O2", "{options}", "-o", "main", "{source}"), "src/main.c", List.of("-DX=1", "-Wall; rm -rf /"));

    assertThat(argv).containsExactly("gcc", "-O2", "-DX=1", "-Wall; rm -rf /", "-o", "main", "src/main.c");
  }

  @Test
  void noOptionsLeaveNoEmptyArgument() {
    assertThat(Commands.substitute(List.of("cc", "{options}", "{source}"), "main.c", List.of()))
        .containsExactly("cc", "main.c");
  }
}
