package dev.polyrun.client.cli;

import dev.polyrun.client.PolyrunClient;
import dev.polyrun.proto.v1.JobState;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code polyrun cancel ID}: cancels a queued or running job. */
@Command(
    name = "cancel",
    mixinStandardHelpOptions = true,
    description = "Cancels a queued or running job and prints its state afterwards.")
final class CancelCommand implements Callable<Integer> {
  @ParentCommand private PolyrunCli cli;

  @Parameters(paramLabel = "ID", description = "The job's id.")
  private String jobId;

  @Override
  public Integer call() {
    JobState state;
    try (PolyrunClient client = cli.connect()) {
      state = client.cancel(jobId);
    }
    if (cli.json()) {
      cli.io().outText.println(JsonOutput.cancelled(jobId, state));
      return ExitCodes.OK;
    }
    String note = state == JobState.JOB_STATE_DONE ? " (it had already finished)" : "";
    cli.io().outText.println("job " + jobId + ": " + state + note);
    return ExitCodes.OK;
  }
}
