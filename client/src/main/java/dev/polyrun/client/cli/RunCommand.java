package dev.polyrun.client.cli;

import com.google.protobuf.ByteString;
import dev.polyrun.client.PolyrunClient;
import dev.polyrun.proto.v1.ExecuteRequest;
import dev.polyrun.proto.v1.Limits;
import dev.polyrun.proto.v1.Result;
import dev.polyrun.proto.v1.SourceFile;
import dev.polyrun.proto.v1.Verdict;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code polyrun run FILE...}: runs a program on the cluster, streaming its output. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Runs a program on the cluster. Its stdout and stderr are copied to polyrun's as they"
          + " arrive; polyrun's stdin is sent as the program's (none when stdin is a terminal).",
      "A verdict other than OK is named in one line on stderr, and sets the exit code."
    })
final class RunCommand implements Callable<Integer> {
  @ParentCommand private PolyrunCli cli;

  @Parameters(
      arity = "1..*",
      paramLabel = "FILE",
      description =
          "Source files, sent under their paths relative to the current directory (files outside"
              + " it under their names). The first is the entry file; its extension picks the"
              + " language.")
  private List<String> files;

  @Option(
      names = "--lang",
      paramLabel = "NAME",
      description =
          "Language to use instead of the one the extension names (see 'polyrun languages').")
  private String language;

  @Option(
      names = "--stdin",
      paramLabel = "FILE",
      description = "Send this file as the program's standard input instead of polyrun's stdin.")
  private String stdinFile;

  @Option(
      names = "--time",
      paramLabel = "DURATION",
      converter = Quantities.DurationConverter.class,
      description = "Wall-clock limit of the run: 2s, 500ms, 1.5m (default: the language's).")
  private Duration wallTime;

  @Option(
      names = "--memory",
      paramLabel = "SIZE",
      converter = Quantities.SizeConverter.class,
      description =
          "Memory limit of the run: 256m, 1g, 64k; bytes without a unit (default: the language's).")
  private Long memoryBytes;

  @Option(
      names = "--arg",
      paramLabel = "ARG",
      description = "An argument for the program; repeat for more, in order.")
  private List<String> programArgs = new ArrayList<>();

  @Override
  public Integer call() {
    Io io = cli.io();
    List<SourceFile> sources = SourceFiles.read(io.cwd, files);
    ByteString stdin = stdin(io);
    try (PolyrunClient client = cli.connect()) {
      String lang = language != null ? language : languageOf(client, sources.get(0));
      StreamingOutput output = new StreamingOutput(io.out, io.err);
      Result result;
      try (CancelOnExit hook = CancelOnExit.install(client, output::jobId)) {
        result = client.execute(request(lang, sources, stdin), output);
      }
      return report(result, output, io);
    }
  }

  private static String languageOf(PolyrunClient client, SourceFile entry) {
    String path = entry.getPath();
    String fileName = path.substring(path.lastIndexOf('/') + 1);
    return LanguageResolver.resolve(client.languages(), fileName).getName();
  }

  private ByteString stdin(Io io) {
    if (stdinFile != null) {
      return ByteString.copyFrom(SourceFiles.content(io.cwd, stdinFile));
    }
    if (io.stdinIsTerminal) {
      // Waiting for someone to type a program's input would look like a hang.
      return ByteString.EMPTY;
    }
    try {
      return ByteString.readFrom(io.in);
    } catch (IOException e) {
      throw new UsageException("cannot read standard input: " + e.getMessage());
    }
  }

  private ExecuteRequest request(String lang, List<SourceFile> sources, ByteString stdin) {
    Limits.Builder limits = Limits.newBuilder();
    if (wallTime != null) {
      limits.setWallTimeMs(wallTime.toMillis());
    }
    if (memoryBytes != null) {
      limits.setMemoryBytes(memoryBytes);
    }
    return ExecuteRequest.newBuilder()
        .setLanguage(lang)
        .addAllFiles(sources)
        .setEntryFile(sources.get(0).getPath())
        .setStdin(stdin)
        .addAllArgs(programArgs)
        .setRunLimits(limits)
        .setCancelOnDisconnect(true)
        .build();
  }

  private static int report(Result result, StreamingOutput output, Io io) {
    if (result.getVerdict() == Verdict.COMPILE_ERROR) {
      output.writeErr(result.getCompileOutput());
    }
    if (!Verdicts.isSuccess(result.getVerdict())) {
      output.endErrLine();
      io.error(Verdicts.line(result));
    }
    return ExitCodes.forResult(result);
  }
}
