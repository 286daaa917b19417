package dev.polyrun.client.cli;

import dev.polyrun.client.PolyrunClient;
import dev.polyrun.client.PolyrunClientBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code polyrun} command: runs programs on a polyrun cluster and inspects its jobs. Entry
 * point of bin/polyrun; {@link ExitCodes} lists what it exits with.
 */
@Command(
    name = "polyrun",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Runs programs on a polyrun cluster and inspects its jobs.",
    subcommands = {
      RunCommand.class,
      LanguagesCommand.class,
      JobCommand.class,
      CancelCommand.class,
      HelpCommand.class
    })
public final class PolyrunCli implements Callable<Integer> {
  /** Address of the service when --addr is not given. */
  public static final String ENV_ADDR = "POLYRUN_ADDR";

  /** API key sent as a bearer token (never taken from the command line, where ps shows it). */
  public static final String ENV_API_KEY = "POLYRUN_API_KEY";

  /** Address of the service when neither --addr nor POLYRUN_ADDR is given. */
  public static final String DEFAULT_ADDR = "localhost:50051";

  // Held so the configured level is not lost when the logger is garbage collected.
  private static final Logger GRPC_LOGGER = Logger.getLogger("io.grpc");

  private final Io io;

  @Spec private CommandSpec spec;

  @Option(
      names = "--addr",
      paramLabel = "HOST:PORT",
      scope = ScopeType.INHERIT,
      description =
          "Address of the polyrun service (default: $" + ENV_ADDR + ", else " + DEFAULT_ADDR + ").")
  private String addr;

  PolyrunCli(Io io) {
    this.io = io;
  }

  /** Runs the command line and exits the JVM with its exit code. */
  public static void main(String[] args) {
    quietLibraries(System.getenv("POLYRUN_DEBUG") != null);
    System.exit(run(Io.system(), args));
  }

  /** Runs the command line against {@code io} and returns the exit code. */
  static int run(Io io, String... args) {
    try {
      return commandLine(io).execute(args);
    } finally {
      io.flush();
    }
  }

  static CommandLine commandLine(Io io) {
    PolyrunCli cli = new PolyrunCli(io);
    CommandLine commandLine = new CommandLine(cli);
    ErrorReporter reporter = new ErrorReporter(io, cli::address);
    commandLine
        // "@name" is a file name here, never a file of arguments to expand.
        .setExpandAtFiles(false)
        .setOut(io.outText)
        .setErr(io.errText)
        .setParameterExceptionHandler(reporter)
        .setExecutionExceptionHandler(reporter);
    addFooter(commandLine.getCommandSpec(), true);
    addFooter(commandLine.getSubcommands().get("run").getCommandSpec(), false);
    return commandLine;
  }

  /** Without a subcommand: a usage error that lists the subcommands. */
  @Override
  public Integer call() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "missing a command (expected: run, languages, job, cancel or help)");
  }

  /** The service's address: --addr, else $POLYRUN_ADDR, else localhost:50051. */
  String address() {
    if (addr != null && !addr.isBlank()) {
      return addr.strip();
    }
    String fromEnv = io.env(ENV_ADDR);
    return fromEnv != null ? fromEnv.strip() : DEFAULT_ADDR;
  }

  Io io() {
    return io;
  }

  /** A client of the service; the caller closes it. */
  PolyrunClient connect() {
    PolyrunClientBuilder builder =
        PolyrunClient.builder(address())
            .userAgent("polyrun-cli/" + VersionProvider.version())
            .deadline(Duration.ofSeconds(20))
            .closeTimeout(Duration.ofSeconds(2));
    String apiKey = io.env(ENV_API_KEY);
    if (apiKey != null) {
      builder.apiKey(apiKey.strip());
    }
    return builder.build();
  }

  private static void addFooter(CommandSpec spec, boolean withEnvironment) {
    List<String> lines = new ArrayList<>();
    lines.add("%nExit codes:");
    for (Map.Entry<String, String> code : ExitCodes.descriptions().entrySet()) {
      lines.add(String.format("  %-6s %s", code.getKey(), code.getValue()));
    }
    if (withEnvironment) {
      lines.add("%nEnvironment:");
      lines.add("  " + ENV_ADDR + "     service address when --addr is not given");
      lines.add("  " + ENV_API_KEY + "  API key, sent as 'authorization: Bearer <key>'");
      lines.add("  POLYRUN_DEBUG    set to print stack traces of failures");
    }
    spec.usageMessage().footer(lines.toArray(String[]::new));
  }

  private static void quietLibraries(boolean debug) {
    // Netty's sun.misc.Unsafe and native epoll make recent JDKs print warnings on stderr, which
    // here is the program's stderr; one short-lived connection gains nothing from either.
    for (String property : List.of("noUnsafe", "transport.noNative")) {
      String name = "io.grpc.netty.shaded.io.netty." + property;
      if (System.getProperty(name) == null) {
        System.setProperty(name, "true");
      }
    }
    GRPC_LOGGER.setLevel(debug ? Level.FINE : Level.OFF);
  }
}
