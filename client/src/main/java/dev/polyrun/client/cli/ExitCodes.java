package dev.polyrun.client.cli;

import dev.polyrun.proto.v1.Result;
import dev.polyrun.proto.v1.StageStats;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The exit codes of the {@code polyrun} command, in one place: shown by {@code --help} and
 * documented in the client README.
 *
 * <p>{@code run} exits with the verdict's code; a program that failed at run time passes its own
 * exit code through, so a program that exits with, say, 101 cannot be told from a time limit by the
 * code alone (the verdict line on stderr tells them apart).
 */
public final class ExitCodes {
  /** The program ran and its verdict is OK (or ACCEPTED); any other command succeeded. */
  public static final int OK = 0;

  /** Bad command line: unknown flag, bad value, unreadable file, unknown extension. */
  public static final int USAGE = 2;

  /** Added to the signal number for a program killed by a signal (like a shell does). */
  public static final int SIGNAL_BASE = 128;

  public static final int COMPILE_ERROR = 100;
  public static final int TIME_LIMIT_EXCEEDED = 101;
  public static final int MEMORY_LIMIT_EXCEEDED = 102;
  public static final int OUTPUT_LIMIT_EXCEEDED = 103;
  public static final int CANCELLED = 104;

  /** The sandbox or the service failed to run the program; never the program's own failure. */
  public static final int INTERNAL_ERROR = 105;

  public static final int WRONG_ANSWER = 106;

  /** The service refused the request (a gRPC error status) or could not be reached. */
  public static final int SERVICE_ERROR = 107;

  /** polyrun itself failed unexpectedly (a bug; POLYRUN_DEBUG=1 prints the stack trace). */
  public static final int CLI_FAILURE = 108;

  /** polyrun's own standard output was closed early, e.g. piped into {@code head}. */
  public static final int OUTPUT_CLOSED = SIGNAL_BASE + 13;

  private ExitCodes() {}

  /** The exit code of {@code polyrun run} for a final result. */
  public static int forResult(Result result) {
    return switch (result.getVerdict()) {
      case VERDICT_OK, VERDICT_ACCEPTED -> OK;
      case VERDICT_COMPILE_ERROR -> COMPILE_ERROR;
      case VERDICT_RUNTIME_ERROR -> forRuntimeError(Verdicts.decisiveStage(result));
      case VERDICT_TIME_LIMIT_EXCEEDED -> TIME_LIMIT_EXCEEDED;
      case VERDICT_MEMORY_LIMIT_EXCEEDED -> MEMORY_LIMIT_EXCEEDED;
      case VERDICT_OUTPUT_LIMIT_EXCEEDED -> OUTPUT_LIMIT_EXCEEDED;
      case VERDICT_CANCELLED -> CANCELLED;
      case VERDICT_WRONG_ANSWER -> WRONG_ANSWER;
      case VERDICT_INTERNAL_ERROR, VERDICT_UNSPECIFIED, UNRECOGNIZED -> INTERNAL_ERROR;
    };
  }

  /**
   * The program's own exit code (1-255), or 128 + the signal that killed it; 1 when the stage
   * reports neither (a runtime error always exits non-zero).
   */
  static int forRuntimeError(StageStats stage) {
    if (stage.hasSignal()) {
      return Math.min(SIGNAL_BASE + stage.getSignal(), 255);
    }
    int code = stage.hasExitCode() ? stage.getExitCode() : 1;
    return code >= 1 && code <= 255 ? code : 1;
  }

  /** Code and meaning of every exit code, in order, for help texts. */
  static Map<String, String> descriptions() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put(String.valueOf(OK), "the program's verdict is OK (other commands: success)");
    d.put("1-255", "RUNTIME_ERROR: the program's own exit code");
    d.put("128+N", "RUNTIME_ERROR: the program was killed by signal N (e.g. 139 = SIGSEGV)");
    d.put(
        String.valueOf(USAGE),
        "usage error: bad option or value, unreadable file, unknown extension");
    d.put(String.valueOf(COMPILE_ERROR), "COMPILE_ERROR (the compiler's output is on stderr)");
    d.put(String.valueOf(TIME_LIMIT_EXCEEDED), "TIME_LIMIT_EXCEEDED (cpu or wall)");
    d.put(String.valueOf(MEMORY_LIMIT_EXCEEDED), "MEMORY_LIMIT_EXCEEDED");
    d.put(String.valueOf(OUTPUT_LIMIT_EXCEEDED), "OUTPUT_LIMIT_EXCEEDED");
    d.put(String.valueOf(CANCELLED), "CANCELLED");
    d.put(String.valueOf(INTERNAL_ERROR), "INTERNAL_ERROR: the sandbox or service failed");
    d.put(String.valueOf(WRONG_ANSWER), "WRONG_ANSWER (test cases)");
    d.put(String.valueOf(SERVICE_ERROR), "the service refused the request or could not be reached");
    d.put(String.valueOf(CLI_FAILURE), "polyrun itself failed (a bug; POLYRUN_DEBUG=1 shows why)");
    d.put(String.valueOf(OUTPUT_CLOSED), "polyrun's stdout was closed early (e.g. | head)");
    return d;
  }
}
