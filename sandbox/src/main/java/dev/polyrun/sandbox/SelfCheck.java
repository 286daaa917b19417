package dev.polyrun.sandbox;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import dev.polyrun.config.StageLimits;
import dev.polyrun.sandbox.internal.LanguageSample;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Runs a language's hello and echo samples in the real sandbox, under the policy the worker
 * applies: what an image must pass before it is published (images/build runs it when the sandbox is
 * built). The echo sample runs unless the language reads no stdin ({@code "stdin": false}), without
 * invalid UTF-8 when it reads text only. Prints one line per sample and exits 0 when both print
 * exactly what they should, 1 when one does not, 2 on bad arguments or a sandbox that cannot start.
 *
 * <p>Usage: {@code java -cp <sandbox jar and its lib/> dev.polyrun.sandbox.SelfCheck --rootfs DIR
 * --language-json FILE --samples DIR [--state DIR] [--policy FILE]}. Needs root.
 */
public final class SelfCheck {
  private final Sandbox sandbox;
  private final Path rootfs;
  private final LanguageSample language;
  private final Path samples;

  private SelfCheck(Sandbox sandbox, Path rootfs, LanguageSample language, Path samples) {
    this.sandbox = sandbox;
    this.rootfs = rootfs;
    this.language = language;
    this.samples = samples;
  }

  /**
   * The echo sample's input: line endings, NUL bytes, invalid (unless {@code anyBytes} is false,
   * for a language whose programs read text only) and valid UTF-8, many lines, no final newline.
   */
  static byte[] echoInput(boolean anyBytes) {
    ByteArrayOutputStream in = new ByteArrayOutputStream();
    in.writeBytes(
        "Hello, echo!\ntab\there, CRLF\r\nNUL bytes:\0\0:end\n".getBytes(StandardCharsets.UTF_8));
    if (anyBytes) {
      in.writeBytes(
          new byte[] {
            'i',
            'n',
            'v',
            'a',
            'l',
            'i',
            'd',
            ' ',
            'U',
            'T',
            'F',
            '-',
            '8',
            ':',
            ' ',
            (byte) 0xff,
            (byte) 0xfe,
            (byte) 0x80,
            (byte) 0xc3,
            '\n'
          });
    }
    in.writeBytes("UTF-8: ä€😀\n".getBytes(StandardCharsets.UTF_8));
    for (int i = 1; i <= 20000; i++) {
      in.writeBytes((i + "\n").getBytes(StandardCharsets.US_ASCII));
    }
    in.writeBytes("no newline at the end".getBytes(StandardCharsets.US_ASCII));
    return in.toByteArray();
  }

  public static void main(String[] args) throws Exception {
    Path rootfs = null;
    Path languageJson = null;
    Path samples = null;
    Path state = null;
    Path policy = null;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--rootfs" -> rootfs = Path.of(args[i + 1]);
        case "--language-json" -> languageJson = Path.of(args[i + 1]);
        case "--samples" -> samples = Path.of(args[i + 1]);
        case "--state" -> state = Path.of(args[i + 1]);
        case "--policy" -> policy = Path.of(args[i + 1]);
        default -> usage("unknown argument " + args[i]);
      }
    }
    if (rootfs == null || languageJson == null || samples == null || args.length % 2 != 0) {
      usage("--rootfs, --language-json and --samples are required");
    }
    Path stateDir = state != null ? state : Files.createTempDirectory("polyrun-selfcheck");
    SandboxOptions.Builder options = SandboxOptions.builder().stateDirectory(stateDir);
    if (policy != null) {
      options.operatorPolicy(PolicyOverride.load(policy, PolicyOverride.Scope.OPERATOR));
    }
    boolean ok;
    try (Sandbox sandbox = Sandbox.open(options.build())) {
      sandbox.sweep();
      SelfCheck check =
          new SelfCheck(sandbox, rootfs.toRealPath(), LanguageSample.load(languageJson), samples);
      ok = check.sample("hello", new byte[0], Files.readAllBytes(samples.resolve("hello.out")));
      String stdin = stdin(languageJson);
      if (!stdin.equals("false")) {
        byte[] echo = echoInput(!stdin.equals("text"));
        ok &= check.sample("echo", echo, echo);
      }
    } catch (SandboxUnavailableException | IllegalArgumentException e) {
      System.err.println("self-check: " + e.getMessage());
      System.exit(2);
      return;
    }
    System.exit(ok ? 0 : 1);
  }

  /**
   * What the language's programs read: "true" (any bytes, the default), "text" or "false" (nothing:
   * no echo sample).
   */
  private static String stdin(Path languageJson) throws IOException {
    JsonElement stdin =
        JsonParser.parseString(Files.readString(languageJson, StandardCharsets.UTF_8))
            .getAsJsonObject()
            .get("stdin");
    return stdin == null || stdin.isJsonNull() ? "true" : stdin.getAsString();
  }

  private static void usage(String problem) {
    System.err.println(
        "self-check: "
            + problem
            + "\nusage: SelfCheck --rootfs DIR --language-json FILE --samples DIR"
            + " [--state DIR] [--policy FILE]");
    System.exit(2);
  }

  /** Compiles (if the language does) and runs one sample; prints its line. */
  boolean sample(String name, byte[] stdin, byte[] expected)
      throws IOException, InterruptedException {
    String ext = language.sourceFile().substring(language.sourceFile().lastIndexOf('.'));
    String id = "selfcheck-" + language.name() + "-" + name + "-" + ProcessHandle.current().pid();
    SandboxPolicy.Tmpfs size = sandbox.policy().filesystem().work();
    try (WorkDir work = sandbox.createWorkDir(id, size.sizeBytes(), size.inodes())) {
      work.write(language.sourceFile(), Files.readAllBytes(samples.resolve(name + ext)));
      String compiled = "";
      if (language.compiled()) {
        Captured c = new Captured();
        StageResult r =
            sandbox.run(
                stage(
                    id + "-compile",
                    work,
                    language.compile(),
                    new byte[0],
                    language.compileLimits()),
                c);
        if (!r.succeeded()) {
          return report(name, "compile " + describe(r) + ": " + c.text(2000));
        }
        compiled =
            String.format(
                Locale.ROOT,
                "compile %.2fs cpu %dMB, ",
                r.cpuTime().toMillis() / 1000.0,
                r.peakMemoryBytes() >> 20);
      }
      Captured out = new Captured();
      StageResult r =
          sandbox.run(stage(id + "-run", work, language.run(), stdin, language.runLimits()), out);
      if (!r.succeeded()) {
        return report(name, "run " + describe(r) + ": " + out.text(2000));
      }
      if (!Arrays.equals(out.stdout.toByteArray(), expected)) {
        return report(
            name,
            "stdout differs (" + out.stdout.size() + " bytes, expected " + expected.length + ")");
      }
      if (out.stderr.size() > 0) {
        return report(name, "wrote to stderr: " + out.text(2000));
      }
      System.out.printf(
          Locale.ROOT,
          "%s %s: ok (%srun %.2fs cpu %dMB)%n",
          language.name(),
          name,
          compiled,
          r.cpuTime().toMillis() / 1000.0,
          r.peakMemoryBytes() >> 20);
      return true;
    }
  }

  private StageSpec stage(
      String name, WorkDir work, List<String> argv, byte[] stdin, StageLimits limits) {
    return new StageSpec(
            name,
            rootfs,
            work,
            language.withInit(rootfs, argv),
            language.env(),
            stdin,
            limits,
            () -> false)
        .withLanguagePolicy(language.policy());
  }

  private boolean report(String sample, String problem) {
    System.out.println(language.name() + " " + sample + ": FAILED: " + problem);
    return false;
  }

  private static String describe(StageResult r) {
    return r.termination()
        + (r.signal() != 0 ? " signal " + r.signal() : " exit " + r.exitCode())
        + (r.detail().isEmpty() ? "" : " (" + r.detail() + ")");
  }

  /** A stage's output, kept whole. */
  private static final class Captured implements OutputListener {
    final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

    @Override
    public synchronized void stdout(byte[] chunk) {
      stdout.writeBytes(chunk);
    }

    @Override
    public synchronized void stderr(byte[] chunk) {
      stderr.writeBytes(chunk);
    }

    synchronized String text(int max) {
      String s = stderr.toString(StandardCharsets.UTF_8) + stdout.toString(StandardCharsets.UTF_8);
      return s.length() > max ? s.substring(0, max) + "..." : s;
    }
  }
}
