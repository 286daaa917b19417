package dev.polyrun.client.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.polyrun.proto.v1.SourceFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceFilesTest {
  @TempDir Path cwd;

  @Test
  void pathsAreRelativeToTheCurrentDirectoryAndNormalised() {
    assertThat(SourceFiles.requestPath(cwd, "main.py")).isEqualTo("main.py");
    assertThat(SourceFiles.requestPath(cwd, "./main.py")).isEqualTo("main.py");
    assertThat(SourceFiles.requestPath(cwd, "src/../main.py")).isEqualTo("main.py");
    assertThat(SourceFiles.requestPath(cwd, "pkg//util.py")).isEqualTo("pkg/util.py");
    assertThat(SourceFiles.requestPath(cwd, "./pkg/./sub/util.py")).isEqualTo("pkg/sub/util.py");
  }

  @Test
  void absolutePathsInsideTheCurrentDirectoryBecomeRelative() {
    String absolute = cwd.resolve("pkg").resolve("util.py").toAbsolutePath().toString();

    assertThat(SourceFiles.requestPath(cwd, absolute)).isEqualTo("pkg/util.py");
  }

  @Test
  void filesOutsideTheCurrentDirectoryAreSentByName() {
    assertThat(SourceFiles.requestPath(cwd, "../other/prog.c")).isEqualTo("prog.c");
    assertThat(SourceFiles.requestPath(cwd.resolve("sub"), "/tmp/x/hello.py"))
        .isEqualTo("hello.py");
  }

  @Test
  void filesAreReadByteExactInCommandLineOrder() throws IOException {
    byte[] notUtf8 = {(byte) 0xff, 0, 'x'};
    Files.write(cwd.resolve("main.c"), notUtf8);
    Files.createDirectories(cwd.resolve("lib"));
    Files.writeString(cwd.resolve("lib/util.h"), "int f(void);\n");

    List<SourceFile> files = SourceFiles.read(cwd, List.of("main.c", "lib/util.h"));

    assertThat(files).extracting(SourceFile::getPath).containsExactly("main.c", "lib/util.h");
    assertThat(files.get(0).getContent().toByteArray()).isEqualTo(notUtf8);
    assertThat(files.get(1).getContent().toStringUtf8()).isEqualTo("int f(void);\n");
  }

  @Test
  void missingFileIsAUsageErrorNamingIt() {
    assertThatThrownBy(() -> SourceFiles.read(cwd, List.of("nope.py")))
        .isInstanceOf(UsageException.class)
        .hasMessage("cannot read 'nope.py': no such file");
  }

  @Test
  void directoryIsAUsageError() throws IOException {
    Files.createDirectories(cwd.resolve("src"));

    assertThatThrownBy(() -> SourceFiles.read(cwd, List.of("src")))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("'src' is a directory");
  }

  @Test
  void twoFilesWithTheSamePathAreRefused() throws IOException {
    Files.writeString(cwd.resolve("a.py"), "");

    assertThatThrownBy(() -> SourceFiles.read(cwd, List.of("a.py", "./a.py")))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("'a.py' and './a.py' would both be sent as 'a.py'");
  }
}
