package dev.polyrun.client.cli;

import com.google.protobuf.ByteString;
import dev.polyrun.client.ExecutionListener;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Copies a program's output to polyrun's own stdout and stderr: raw bytes, byte-exact.
 *
 * <p>Live (for a person at a terminal), each chunk is written and flushed as it arrives; when the
 * job's worker is lost and the job runs again, a line on stderr says that the output from there on
 * replaces what came before (what was printed cannot be taken back). Held ({@code polyrun run
 * --output final}, the default when stdout is not a terminal), the output is kept until the result
 * and only the final attempt's is written, stdout then stderr, so a file or pipe gets exactly the
 * program's output. Remembers whether stderr ends at a line start, so polyrun's own lines always
 * start a line of their own.
 */
final class StreamingOutput implements ExecutionListener {
  private final OutputStream out;
  private final OutputStream err;
  private final boolean hold;
  private final ByteString.Output heldOut = ByteString.newOutput();
  private final ByteString.Output heldErr = ByteString.newOutput();
  private volatile String jobId;
  private boolean errAtLineStart = true;

  /** Live output. */
  StreamingOutput(OutputStream out, OutputStream err) {
    this(out, err, false);
  }

  /** Live output, or output held until {@link #finish()} when {@code hold}. */
  StreamingOutput(OutputStream out, OutputStream err, boolean hold) {
    this.out = out;
    this.err = err;
    this.hold = hold;
  }

  /** The job's id once the service reported it, else null; readable from any thread. */
  String jobId() {
    return jobId;
  }

  @Override
  public void onJobId(String jobId) {
    this.jobId = jobId;
  }

  @Override
  public void onStdout(ByteString chunk) {
    if (hold) {
      hold(heldOut, chunk);
    } else {
      write(out, chunk);
    }
  }

  @Override
  public void onStderr(ByteString chunk) {
    if (hold) {
      hold(heldErr, chunk);
    } else {
      writeErr(chunk);
    }
  }

  @Override
  public void onAttemptAbandoned(int abandonedAttempt, int newAttempt, String reason) {
    if (hold) {
      heldOut.reset();
      heldErr.reset();
      note(
          "polyrun: the job's worker was lost; running it again (attempt "
              + newAttempt
              + "); only that run's output will be written");
    } else {
      note(
          "polyrun: the job's worker was lost; running it again (attempt "
              + newAttempt
              + "), output from here replaces the above");
    }
  }

  /** Writes held output (nothing when live); call once the result is in. */
  void finish() {
    if (hold) {
      write(out, heldOut.toByteString());
      writeErr(heldErr.toByteString());
      heldOut.reset();
      heldErr.reset();
    }
  }

  /** Writes bytes to stderr (the program's, or the compiler's), tracking the line start. */
  void writeErr(ByteString bytes) {
    write(err, bytes);
    if (!bytes.isEmpty()) {
      errAtLineStart = bytes.byteAt(bytes.size() - 1) == '\n';
    }
  }

  /** Ends stderr's current line, if the program left one open. */
  void endErrLine() {
    if (!errAtLineStart) {
      writeErr(ByteString.copyFromUtf8("\n"));
    }
  }

  private void note(String line) {
    endErrLine();
    writeErr(ByteString.copyFromUtf8(line + "\n"));
  }

  private static void hold(ByteString.Output held, ByteString chunk) {
    byte[] bytes = chunk.toByteArray();
    held.write(bytes, 0, bytes.length);
  }

  private static void write(OutputStream stream, ByteString chunk) {
    try {
      chunk.writeTo(stream);
      stream.flush();
    } catch (IOException e) {
      throw new OutputClosedException(e);
    }
  }
}
