package dev.polyrun.client.cli;

import com.google.protobuf.ByteString;
import dev.polyrun.client.ExecutionListener;

/**
 * Keeps a program's output for {@code --json}, which prints it at the end as part of one object:
 * the final attempt's output alone when the job ran again after its worker was lost.
 */
final class CollectedOutput implements ExecutionListener {
  private final ByteString.Output stdout = ByteString.newOutput();
  private final ByteString.Output stderr = ByteString.newOutput();
  private volatile String jobId;

  String jobId() {
    return jobId;
  }

  ByteString stdout() {
    return stdout.toByteString();
  }

  ByteString stderr() {
    return stderr.toByteString();
  }

  @Override
  public void onJobId(String jobId) {
    this.jobId = jobId;
  }

  @Override
  public void onStdout(ByteString chunk) {
    byte[] bytes = chunk.toByteArray();
    stdout.write(bytes, 0, bytes.length);
  }

  /** What the abandoned attempt printed is void: the final attempt's output starts from here. */
  @Override
  public void onAttemptAbandoned(int abandonedAttempt, int newAttempt, String reason) {
    stdout.reset();
    stderr.reset();
  }

  @Override
  public void onStderr(ByteString chunk) {
    byte[] bytes = chunk.toByteArray();
    stderr.write(bytes, 0, bytes.length);
  }
}
