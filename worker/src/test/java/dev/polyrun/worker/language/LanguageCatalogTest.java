package dev.polyrun.worker.language;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.polyrun.sandbox.PolicyOverride;
import dev.polyrun.sandbox.SandboxPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LanguageCatalogTest {
  @TempDir Path images;

  private void image(String name, String sandbox) throws IOException {
    Path current = Files.createDirectories(images.resolve(name).resolve("current"));
    Files.createDirectories(current.resolve("rootfs"));
    Files.writeString(current.resolve("version"), "1.0\n");
    Files.writeString(current.resolve("language.json"), "{\"name\": \"" + name + "\", \"sourceFile\": \"main.x\","
        + " \"run\": [\"./main\"], \"limits\": {\"run\": {\"cpuTimeMs\": 1, \"wallTimeMs\": 1, \"memoryBytes\": 1,"
        + " \"maxProcesses\": 1, \"outputBytes\": 1, \"fileSizeBytes\": 1}}" + (sandbox == null ? "" : ", \"sandbox\": " + sandbox)
        + "}");
    Files.createFile(current.resolve(".complete"));
  }

  @Test
  void aLanguagesSandboxObjectIsItsChangeToThePolicy() throws IOException {
    image("go", "{\"rlimits\": {\"nofile\": 2048}}");
    image("c", null);

    LanguageCatalog catalog = LanguageCatalog.load(images);

    PolicyOverride go = catalog.find("go").orElseThrow().sandboxPolicy();
    assertThat(go.scope()).isEqualTo(PolicyOverride.Scope.LANGUAGE);
    assertThat(SandboxPolicy.defaults().with(go).rlimits().nofile()).isEqualTo(2048);
    assertThat(catalog.find("c").orElseThrow().sandboxPolicy().isEmpty()).isTrue();
  }

  @Test
  void aLanguageThatLoosensIsolationIsRefusedNamingItsFile() throws IOException {
    image("bad", "{\"namespaces\": [\"mount\"]}");

    assertThatThrownBy(() -> LanguageCatalog.load(images)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bad/current/language.json: sandbox: namespaces: a language may not change it");
  }
}
