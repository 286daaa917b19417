package dev.polyrun.client.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import org.junit.jupiter.api.Test;

class StreamingOutputTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final StreamingOutput output = new StreamingOutput(out, err);

  @Test
  void chunksAreCopiedByteExactToTheirStream() {
    byte[] invalidUtf8 = {'a', (byte) 0xc3, (byte) 0x28, '\n'};

    output.onStdout(ByteString.copyFrom(invalidUtf8));
    output.onStderr(ByteString.copyFromUtf8("warn\n"));
    output.onStdout(ByteString.copyFromUtf8("b"));

    assertThat(out.toByteArray()).isEqualTo(new byte[] {'a', (byte) 0xc3, 0x28, '\n', 'b'});
    assertThat(err.toString()).isEqualTo("warn\n");
  }

  @Test
  void openStderrLineIsEndedBeforePolyrunsOwnLine() {
    output.onStderr(ByteString.copyFromUtf8("no newline"));
    output.endErrLine();
    output.endErrLine();

    assertThat(err.toString()).isEqualTo("no newline\n");
  }

  @Test
  void endedStderrLineIsLeftAlone() {
    output.endErrLine();
    output.onStderr(ByteString.copyFromUtf8("line\n"));
    output.endErrLine();

    assertThat(err.toString()).isEqualTo("line\n");
  }

  @Test
  void closedOutputStopsTheRun() {
    OutputStream closed =
        new OutputStream() {
          @Override
          public void write(int b) throws IOException {
            throw new IOException("Broken pipe");
          }
        };
    StreamingOutput toClosedPipe = new StreamingOutput(closed, err);

    assertThatThrownBy(() -> toClosedPipe.onStdout(ByteString.copyFromUtf8("x")))
        .isInstanceOf(OutputClosedException.class);
  }

  @Test
  void liveOutputTellsOnStderrThatARerunReplacesWhatCameBefore() {
    output.onStdout(ByteString.copyFromUtf8("begin\n"));
    output.onStderr(ByteString.copyFromUtf8("half a line"));

    output.onAttemptAbandoned(1, 2, "its worker stopped renewing the lease");
    output.onStdout(ByteString.copyFromUtf8("begin\nend\n"));
    output.finish();

    assertThat(out.toString()).isEqualTo("begin\nbegin\nend\n");
    assertThat(err.toString())
        .isEqualTo(
            "half a line\npolyrun: the job's worker was lost; running it again"
                + " (attempt 2), output from here replaces the above\n");
  }

  @Test
  void heldOutputWritesOnlyTheFinalAttemptsOutputOnceTheJobEnds() {
    StreamingOutput held = new StreamingOutput(out, err, true);
    held.onStdout(ByteString.copyFromUtf8("begin\n"));
    held.onStderr(ByteString.copyFromUtf8("warn 1\n"));
    held.onAttemptAbandoned(1, 2, "lease");
    held.onStdout(ByteString.copyFromUtf8("begin\n"));
    held.onStderr(ByteString.copyFromUtf8("warn 2\n"));
    held.onStdout(ByteString.copyFromUtf8("end\n"));
    assertThat(out.size()).as("nothing before the result").isZero();

    held.finish();

    assertThat(out.toString()).isEqualTo("begin\nend\n");
    assertThat(err.toString())
        .isEqualTo(
            "polyrun: the job's worker was lost; running it again (attempt 2);"
                + " only that run's output will be written\nwarn 2\n");
  }

  @Test
  void collectedOutputForJsonKeepsTheFinalAttemptsOutput() {
    CollectedOutput collected = new CollectedOutput();
    collected.onStdout(ByteString.copyFromUtf8("begin\n"));
    collected.onAttemptAbandoned(1, 2, "lease");
    collected.onStdout(ByteString.copyFromUtf8("begin\nend\n"));

    assertThat(collected.stdout().toStringUtf8()).isEqualTo("begin\nend\n");
  }

  @Test
  void jobIdIsRemembered() {
    assertThat(output.jobId()).isNull();
    output.onJobId("j-1");
    assertThat(output.jobId()).isEqualTo("j-1");
  }
}
