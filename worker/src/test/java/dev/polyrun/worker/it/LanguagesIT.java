package dev.polyrun.worker.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.polyrun.proto.v1.SubmitRequest;
import dev.polyrun.proto.v1.SourceFile;
import dev.polyrun.proto.v1.Verdict;
import dev.polyrun.worker.it.WorkerHarness.Outcome;
import dev.polyrun.worker.language.InstalledLanguage;
import dev.polyrun.worker.language.LanguageCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Every built language runs its hello-world and echo samples through the real worker and sandbox. */
class LanguagesIT {
  private static final Path SAMPLES = Path.of(System.getProperty("polyrun.root", "..")).resolve("images");
  private static WorkerHarness harness;

  @BeforeAll
  static void start() throws Exception {
    harness = new WorkerHarness();
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  private static SubmitRequest sample(InstalledLanguage language, String name) throws Exception {
    String file = language.definition().sourceFile();
    String ext = file.substring(file.lastIndexOf('.'));
    byte[] source = Files.readAllBytes(SAMPLES.resolve(language.definition().name()).resolve(name + ext));
    return SubmitRequest.newBuilder().setLanguage(language.definition().name())
        .addFiles(SourceFile.newBuilder().setPath(file).setContent(ByteString.copyFrom(source))).build();
  }

  @TestFactory
  Collection<DynamicTest> everyLanguagePrintsHelloAndEchoesItsInputByteForByte() {
    Collection<InstalledLanguage> languages = LanguageCatalog.load(WorkerHarness.IMAGES).all();
    assertThat(languages).extracting(l -> l.definition().name()).contains(
        "bash", "c", "cpp", "csharp", "go", "java", "javascript", "lua", "perl", "php", "python", "ruby", "rust", "typescript");
    return languages.stream().map(language -> DynamicTest.dynamicTest(language.definition().name(), () -> {
      String name = language.definition().name();
      byte[] expected = Files.readAllBytes(SAMPLES.resolve(name).resolve("hello.out"));
      Outcome hello = harness.run(sample(language, "hello"));
      assertThat(hello.result().getVerdict()).as("%s hello: %s %s", name, hello.result().getMessage(), hello.stderr())
          .isEqualTo(Verdict.VERDICT_OK);
      assertThat(hello.stdoutBytes()).isEqualTo(expected);

      byte[] input = "line one\nsecond line with ünïcödé\n\nlast line without newline".getBytes(java.nio.charset.StandardCharsets.UTF_8);
      Outcome echo = harness.run(sample(language, "echo").toBuilder().setStdin(ByteString.copyFrom(input)).build());
      assertThat(echo.result().getVerdict()).as("%s echo", name).isEqualTo(Verdict.VERDICT_OK);
      assertThat(echo.stdoutBytes()).isEqualTo(input);
    })).toList();
  }
}
