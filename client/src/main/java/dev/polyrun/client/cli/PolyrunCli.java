package dev.polyrun.client.cli;

import dev.polyrun.client.PolyrunClient;
import dev.polyrun.client.PolyrunClientBuilder;
import java.nio.file.Path;
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
      ApiKeyCommand.class,
      HelpCommand.class
    })
public final class PolyrunCli implements Callable<Integer> {
  /** Address of the service when --addr is not given. */
  public static final String ENV_ADDR = "POLYRUN_ADDR";

  /** API key sent as a bearer token when --api-key is not given. */
  public static final String ENV_API_KEY = "POLYRUN_API_KEY";

  /** Address of the service when nothing else names one. */
  public static final String DEFAULT_ADDR = "localhost:50051";

  // Held so the configured level is not lost when the logger is garbage collected.
  private static final Logger GRPC_LOGGER = Logger.getLogger("io.grpc");

  private final Io io;
  private CliConfig config;

  @Spec private CommandSpec spec;

  @Option(
      names = "--addr",
      paramLabel = "HOST:PORT",
      scope = ScopeType.INHERIT,
      description =
          "Address of the polyrun service (default: $"
              + ENV_ADDR
              + ", else the config file's addr,"
              + " else the local cluster's, else "
              + DEFAULT_ADDR
              + ").")
  private String addr;

  @Option(
      names = "--api-key",
      paramLabel = "KEY",
      scope = ScopeType.INHERIT,
      description =
          "API key, sent as 'authorization: Bearer KEY' (default: $"
              + ENV_API_KEY
              + ", else the config file's api-key, else the local cluster's key for its address). Other users"
              + " can see command lines: prefer the variable or the config file.")
  private String apiKey;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      scope = ScopeType.INHERIT,
      description =
          "Config file of defaults (default: $"
              + CliConfig.ENV_CONFIG
              + ", else ~/.config/polyrun/config when it exists).")
  private String configFile;

  @Option(
      names = "--json",
      scope = ScopeType.INHERIT,
      description = "Print one JSON object on stdout instead of text (errors too), for scripts.")
  private boolean json;

  @Option(
      names = "--tls",
      scope = ScopeType.INHERIT,
      negatable = true,
      description =
          "Use TLS (implied by --ca, --cert and --key; default: the config file's tls, else off).")
  private Boolean tls;

  @Option(
      names = "--ca",
      paramLabel = "FILE",
      scope = ScopeType.INHERIT,
      description = "PEM certificates of the authorities to trust for the service's certificate.")
  private Path ca;

  @Option(
      names = "--cert",
      paramLabel = "FILE",
      scope = ScopeType.INHERIT,
      description =
          "PEM client certificate to present (with --key), for services that require one.")
  private Path cert;

  @Option(
      names = "--key",
      paramLabel = "FILE",
      scope = ScopeType.INHERIT,
      description = "PEM (PKCS#8) private key of --cert.")
  private Path key;

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
    ErrorReporter reporter = new ErrorReporter(io, cli::address, cli::hasApiKey, cli::json);
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
        spec.commandLine(),
        "missing a command (expected: run, languages, job, cancel, api-key or help)");
  }

  /** The config file's defaults (read once). */
  CliConfig config() {
    if (config == null) {
      config = CliConfig.load(io, configFile);
    }
    return config;
  }

  /**
   * The service's address: --addr, $POLYRUN_ADDR, the config file, the local cluster, the default.
   */
  String address() {
    if (addr != null && !addr.isBlank()) {
      return addr.strip();
    }
    if (io.env(ENV_ADDR) != null) {
      return io.env(ENV_ADDR).strip();
    }
    return config().get("addr").or(io.localCluster::address).orElse(DEFAULT_ADDR);
  }

  /**
   * The API key: --api-key, $POLYRUN_API_KEY, the config file, the local cluster's for its address.
   */
  String apiKey() {
    if (apiKey != null && !apiKey.isBlank()) {
      return apiKey.strip();
    }
    if (io.env(ENV_API_KEY) != null) {
      return io.env(ENV_API_KEY).strip();
    }
    return config().get("api-key").or(() -> io.localCluster.apiKeyFor(address())).orElse(null);
  }

  boolean hasApiKey() {
    try {
      return apiKey() != null;
    } catch (UsageException e) {
      return false;
    }
  }

  boolean json() {
    return json;
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
    String bearer = apiKey();
    if (bearer != null) {
      try {
        builder.apiKey(bearer);
      } catch (IllegalArgumentException e) {
        throw new UsageException(
            "the API key is blank or not printable ASCII (expected: a token without spaces)");
      }
    }
    Path trust = ca != null ? io.cwd.resolve(ca) : config().path("ca").orElse(null);
    Path certificate = cert != null ? io.cwd.resolve(cert) : config().path("cert").orElse(null);
    Path privateKey = key != null ? io.cwd.resolve(this.key) : config().path("key").orElse(null);
    boolean useTls =
        tls != null ? tls : config().get("tls").map(Boolean::parseBoolean).orElse(false);
    try {
      builder.useTls(useTls).trustCertificates(trust).clientCertificate(certificate, privateKey);
      return builder.build();
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }

  private static void addFooter(CommandSpec spec, boolean withEnvironment) {
    List<String> lines = new ArrayList<>();
    lines.add("%nExit codes:");
    for (Map.Entry<String, String> code : ExitCodes.descriptions().entrySet()) {
      lines.add(String.format("  %-6s %s", code.getKey(), code.getValue()));
    }
    if (withEnvironment) {
      lines.add("%nEnvironment:");
      lines.add("  " + ENV_ADDR + "        service address when --addr is not given");
      lines.add("  " + ENV_API_KEY + "     API key when --api-key is not given");
      lines.add("  " + CliConfig.ENV_CONFIG + "  config file when --config is not given");
      lines.add("  POLYRUN_DEBUG       set to print stack traces of failures");
      lines.add("%nConfig file (properties; the command line and environment win):");
      lines.add("  addr, api-key, tls (true/false), ca, cert, key (paths relative to the file),");
      lines.add("  time, cpu-time, memory (defaults of 'run', e.g. time=2s, memory=256m)");
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
