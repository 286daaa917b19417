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
    description = "Shows a job: state, language, and when it is final, its verdict and figures.")
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
    if (job.hasResult() && !job.getResult().getCompileOutput().isEmpty()) {
      io.outText.println("compile output:");
      io.outText.flush();
      try {
        job.getResult().getCompileOutput().writeTo(io.out);
        io.out.flush();
      } catch (IOException e) {
        throw new OutputClosedException(e);
      }
    }
    return ExitCodes.OK;
  }
}
