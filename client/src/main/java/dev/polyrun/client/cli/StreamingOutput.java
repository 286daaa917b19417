package dev.polyrun.client.cli;

import com.google.protobuf.ByteString;
import dev.polyrun.client.ExecutionListener;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Copies a program's output to polyrun's own stdout and stderr as it arrives: raw bytes, flushed
 * per chunk. Remembers whether stderr ends at a line start, so polyrun's own verdict line always
 * starts a line of its own.
 */
final class StreamingOutput implements ExecutionListener {
  private final OutputStream out;
  private final OutputStream err;
  private volatile String jobId;
  private boolean errAtLineStart = true;

  StreamingOutput(OutputStream out, OutputStream err) {
    this.out = out;
    this.err = err;
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
    write(out, chunk);
  }

  @Override
  public void onStderr(ByteString chunk) {
    writeErr(chunk);
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

  private static void write(OutputStream stream, ByteString chunk) {
    try {
      chunk.writeTo(stream);
      stream.flush();
    } catch (IOException e) {
      throw new OutputClosedException(e);
    }
  }
}
