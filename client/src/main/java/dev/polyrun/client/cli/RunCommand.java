package dev.polyrun.client.cli;

import com.google.protobuf.ByteString;
import dev.polyrun.client.ExecutionListener;
import dev.polyrun.client.PolyrunClient;
import dev.polyrun.proto.v1.ExecuteRequest;
import dev.polyrun.proto.v1.Result;
import dev.polyrun.proto.v1.SourceFile;
import dev.polyrun.proto.v1.Verdict;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code polyrun run FILE...}: runs a program on the cluster, streaming its output, or judges it.
 */
@Command(
    name = "run",
    sortOptions = false,
    description = {
      "Runs a program on the cluster. Its stdout and stderr are copied to polyrun's as they"
          + " arrive; polyrun's stdin is sent as the program's (none when stdin is a terminal).",
      "A verdict other than OK is named in one line on stderr, and sets the exit code.",
      "With --tests DIR the program is judged against the test cases in DIR instead: a table of"
          + " per-case verdicts and times, exit code 0 only when every case passes."
    })
final class RunCommand implements Callable<Integer> {
  @ParentCommand private PolyrunCli cli;

  @Parameters(
      arity = "1..*",
      paramLabel = "FILE",
      description =
          "Source files, sent under their paths relative to the current directory (files outside"
              + " it under their names). The first is the entry file; its extension picks the language.")
  private List<String> files;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help message and exit.")
  private boolean help;

  @Option(
      names = "--lang",
      paramLabel = "NAME[@VERSION]",
      description =
          "Language to use instead of the one the extension names, optionally with a version,"
              + " e.g. python or python@3.11 (see 'polyrun languages').")
  private String language;

  @Option(
      names = "--version",
      paramLabel = "VERSION",
      description =
          "Version of the language, e.g. 3.11 (see 'polyrun languages'); default: the cluster's default.")
  private String version;

  @Option(
      names = "--stdin",
      paramLabel = "FILE",
      description = "Send this file as the program's standard input instead of polyrun's stdin.")
  private String stdinFile;

  @Option(
      names = "--detach",
      description =
          "Submit the job, print its id and exit 0 without waiting"
              + " (follow it with 'polyrun job ID').")
  private boolean detach;

  @Option(
      names = "--output",
      paramLabel = "WHEN",
      defaultValue = "auto",
      description =
          "live: copy the program's output as it arrives (if the job's worker is lost and the job runs"
              + " again, a line on stderr says so and the output starts over); final: write only the final run's"
              + " output once the job ends; auto (default): live when stdout is a terminal, else final.")
  private String output;

  @Mixin private RunOptions options;

  @Override
  public Integer call() {
    Io io = cli.io();
    LanguageChoice choice = LanguageChoice.parse(language, version);
    List<SourceFile> sources = SourceFiles.read(io.cwd, files);
    ByteString stdin = options.testsDir != null ? ByteString.EMPTY : stdin(io);
    try (PolyrunClient client = cli.connect()) {
      String lang = choice.name() != null ? choice.name() : languageOf(client, sources.get(0));
      ExecuteRequest request =
          options.request(lang, sources, stdin, cli.config(), io.cwd).toBuilder()
              .setVersion(choice.version())
              .build();
      if (detach) {
        return detach(client, request, io);
      }
      if (cli.json()) {
        CollectedOutput output = new CollectedOutput();
        Result result = execute(client, request, output, output::jobId);
        io.outText.println(
            JsonOutput.run(output.jobId(), result, output.stdout(), output.stderr()));
        return exitCode(result, request);
      }
      boolean hold = holdOutput(io);
      if (options.testsDir != null) {
        JudgeOutput table = new JudgeOutput(io.outText, io.errText, hold);
        Result result = execute(client, request, table, table::jobId);
        return judged(result, request, table, io);
      }
      StreamingOutput streamed = new StreamingOutput(io.out, io.err, hold);
      Result result = execute(client, request, streamed, streamed::jobId);
      streamed.finish();
      return report(result, streamed, io);
    }
  }

  private static Result execute(
      PolyrunClient client,
      ExecuteRequest request,
      ExecutionListener listener,
      Supplier<String> jobId) {
    try (CancelOnExit hook = CancelOnExit.install(client, jobId)) {
      return client.execute(request, listener);
    }
  }

  /** Whether program output waits for the result (only the final run's is written). */
  private boolean holdOutput(Io io) {
    return switch (output.strip().toLowerCase(java.util.Locale.ROOT)) {
      case "live" -> false;
      case "final" -> true;
      case "auto" -> !io.stdoutIsTerminal;
      default ->
          throw new UsageException("--output: '" + output + "' (expected: live, final or auto)");
    };
  }

  private int detach(PolyrunClient client, ExecuteRequest request, Io io) {
    String jobId = client.submit(request);
    io.outText.println(cli.json() ? JsonOutput.submitted(jobId) : jobId);
    return ExitCodes.OK;
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

  /**
   * With test cases, success means the judge accepted every case: a result without case results (a
   * cluster whose workers do not judge) is an internal error, never a pass.
   */
  static int exitCode(Result result, ExecuteRequest request) {
    if (request.getTestCasesCount() > 0
        && Verdicts.isSuccess(result.getVerdict())
        && (result.getVerdict() != Verdict.VERDICT_ACCEPTED
            || result.getTestCasesPassed() < request.getTestCasesCount())) {
      return ExitCodes.INTERNAL_ERROR;
    }
    return ExitCodes.forResult(result);
  }

  private static int judged(Result result, ExecuteRequest request, JudgeOutput table, Io io) {
    boolean reported = table.finish(result, request.getTestCasesCount());
    if (result.getVerdict() == Verdict.VERDICT_COMPILE_ERROR) {
      io.errText.print(result.getCompileOutput().toStringUtf8());
    }
    int code = exitCode(result, request);
    if (code == ExitCodes.INTERNAL_ERROR && Verdicts.isSuccess(result.getVerdict()) && !reported) {
      io.error(
          "polyrun: the cluster ran the program but did not judge its test cases (its workers do not"
              + " support test cases yet)");
    } else if (code != ExitCodes.OK) {
      io.error(Verdicts.line(result));
    }
    return code;
  }

  private static int report(Result result, StreamingOutput output, Io io) {
    if (result.getVerdict() == Verdict.VERDICT_COMPILE_ERROR) {
      output.writeErr(result.getCompileOutput());
    }
    if (!Verdicts.isSuccess(result.getVerdict())) {
      output.endErrLine();
      io.error(Verdicts.line(result));
    }
    return ExitCodes.forResult(result);
  }
}
