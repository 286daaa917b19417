package dev.polyrun.client.cli;

import dev.polyrun.client.PolyrunClient;
import dev.polyrun.proto.v1.Job;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code polyrun job ID}: a job's state and, when final, its result. */
@Command(
    name = "job",
    mixinStandardHelpOptions = true,
    description =
        "Shows a job: state, language, and when it is final, its verdict, figures and output.")
final class JobCommand implements Callable<Integer> {
  @ParentCommand private PolyrunCli cli;

  @Parameters(paramLabel = "ID", description = "The job's id.")
  private String jobId;

  @Override
  public Integer call() {
    Io io = cli.io();
    Job job;
    try (PolyrunClient client = cli.connect()) {
      job = client.getJob(jobId);
    }
    if (cli.json()) {
      io.outText.println(JsonOutput.job(job));
      return ExitCodes.OK;
    }
    io.outText.print(JobPrinter.describe(job));
    io.outText.flush();
    if (job.hasResult()) {
      // the result holds the final run's output: a job read after the fact shows what it printed
      section(io, "compile output:", job.getResult().getCompileOutput());
      section(io, "stdout:", job.getResult().getStdout());
      section(io, "stderr:", job.getResult().getStderr());
    }
    return ExitCodes.OK;
  }

  private static void section(Io io, String title, com.google.protobuf.ByteString bytes) {
    if (bytes.isEmpty()) {
      return;
    }
    io.outText.println(title);
    io.outText.flush();
    try {
      bytes.writeTo(io.out);
      io.out.flush();
    } catch (IOException e) {
      throw new OutputClosedException(e);
    }
  }
}
