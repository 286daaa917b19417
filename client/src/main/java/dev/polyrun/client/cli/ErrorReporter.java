package dev.polyrun.client.cli;

import dev.polyrun.client.FieldViolation;
import dev.polyrun.client.PolyrunException;
import dev.polyrun.client.PolyrunRequestException;
import dev.polyrun.client.PolyrunUnavailableException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Turns every failure into one line on stderr and an exit code: usage errors exit 2, refusals and
 * unreachable services 107. Stack traces only with POLYRUN_DEBUG set.
 */
final class ErrorReporter implements IParameterExceptionHandler, IExecutionExceptionHandler {
  private final Io io;
  private final Supplier<String> address;
  private final BooleanSupplier hasApiKey;
  private final BooleanSupplier json;
  private final boolean debug;

  ErrorReporter(Io io, Supplier<String> address, BooleanSupplier hasApiKey, BooleanSupplier json) {
    this.io = io;
    this.address = address;
    this.hasApiKey = hasApiKey;
    this.json = json;
    this.debug = io.env("POLYRUN_DEBUG") != null;
  }

  @Override
  public int handleParseException(ParameterException ex, String[] args) {
    if (Arrays.asList(args).contains("--json")) {
      printJson(JsonOutput.usageError(usageMessage(ex)));
    }
    io.error("polyrun: " + usageMessage(ex));
    if (ex instanceof UnmatchedArgumentException unmatched) {
      UnmatchedArgumentException.printSuggestions(unmatched, io.errText);
    }
    String command = ex.getCommandLine().getCommandSpec().qualifiedName();
    io.error("Try '" + command + " --help' for more information.");
    return ExitCodes.USAGE;
  }

  @Override
  public int handleExecutionException(
      Exception ex, CommandLine commandLine, CommandLine.ParseResult parseResult) {
    io.flush();
    if (ex instanceof UsageException) {
      if (json.getAsBoolean()) {
        printJson(JsonOutput.usageError(ex.getMessage()));
      }
      io.error("polyrun: " + ex.getMessage());
      return ExitCodes.USAGE;
    }
    if (ex instanceof PolyrunException e) {
      String message = serviceMessage(e, safeAddress(), hasApiKey.getAsBoolean());
      if (json.getAsBoolean()) {
        printJson(JsonOutput.error(e, message));
      }
      io.error("polyrun: " + message);
      trace(ex);
      return ExitCodes.SERVICE_ERROR;
    }
    if (ex instanceof OutputClosedException) {
      // Like a program killed by SIGPIPE: the reader went away, nothing to say.
      trace(ex);
      return ExitCodes.OUTPUT_CLOSED;
    }
    io.error(
        "polyrun: unexpected failure: " + ex + (debug ? "" : " (POLYRUN_DEBUG=1 shows where)"));
    trace(ex);
    return ExitCodes.CLI_FAILURE;
  }

  private void printJson(String text) {
    io.outText.println(text);
    io.outText.flush();
  }

  private String safeAddress() {
    try {
      return address.get();
    } catch (UsageException e) {
      return "(unknown address)";
    }
  }

  private void trace(Exception ex) {
    if (debug) {
      ex.printStackTrace(io.errText);
      io.errText.flush();
    }
  }

  /** {@code "--memory: '12q' (expected: ...)"} for a bad value, else picocli's own message. */
  static String usageMessage(ParameterException ex) {
    if (ex.getCause() instanceof TypeConversionException cause
        && ex.getArgSpec() instanceof OptionSpec option) {
      return option.longestName() + ": " + cause.getMessage();
    }
    return ex.getMessage();
  }

  /** One line for a refused or failed call, naming the address when it could not be reached. */
  static String serviceMessage(PolyrunException e, String address, boolean hasApiKey) {
    String status = statusText(e);
    String text =
        switch (e.code()) {
          case UNAVAILABLE ->
              "cannot reach the polyrun service at " + address + " (" + status + ")";
          case DEADLINE_EXCEEDED ->
              "the polyrun service at " + address + " did not answer in time (" + status + ")";
          case UNAUTHENTICATED ->
              hasApiKey
                  ? status
                  : status
                      + " (pass --api-key, or set "
                      + PolyrunCli.ENV_API_KEY
                      + " or api-key in the config file)";
          case RESOURCE_EXHAUSTED -> status + retryHint(e);
          default -> status;
        };
    return e.jobId()
        .map(id -> text + "; job " + id + " may still be running (polyrun job " + id + ")")
        .orElse(text);
  }

  private static String statusText(PolyrunException e) {
    List<String> parts = new ArrayList<>();
    if (!e.description().isBlank()) {
      parts.add(e.description().strip());
    }
    if (e instanceof PolyrunRequestException request) {
      for (FieldViolation violation : request.fieldViolations()) {
        if (!e.description().contains(violation.toString())) {
          parts.add(violation.toString());
        }
      }
    }
    return parts.isEmpty() ? e.code().name() : e.code() + ": " + String.join("; ", parts);
  }

  private static String retryHint(PolyrunException e) {
    if (e instanceof PolyrunUnavailableException u && u.retryDelay().isPresent()) {
      return " (retry in " + Figures.seconds(u.retryDelay().get().toMillis()) + ")";
    }
    return "";
  }
}
