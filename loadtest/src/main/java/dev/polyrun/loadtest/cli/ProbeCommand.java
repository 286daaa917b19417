package dev.polyrun.loadtest.cli;

import dev.polyrun.client.PolyrunClient;
import dev.polyrun.client.PolyrunException;
import dev.polyrun.loadtest.Profile;
import dev.polyrun.loadtest.Program;
import dev.polyrun.loadtest.internal.Caller;
import dev.polyrun.loadtest.internal.Samples;
import dev.polyrun.loadtest.probe.Probe;
import dev.polyrun.loadtest.probe.ProbeMetrics;
import dev.polyrun.proto.v1.Language;
import dev.polyrun.telemetry.GrpcTelemetry;
import dev.polyrun.telemetry.Telemetry;
import dev.polyrun.telemetry.TelemetryOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The synthetic probe: canaries every interval, metrics for Prometheus and OTLP, a trace per canary
 * run continued by the cluster; --once for a smoke step.
 */
@Command(
    name = "probe",
    mixinStandardHelpOptions = true,
    description =
        "Runs canary programs through the public API every interval (hello in each language, a judged"
            + " program, a program that must hit its time limit), checks exact output and verdict, and exports success"
            + " and latency per canary (Prometheus on 127.0.0.1:--metrics-port; OTLP metrics, traces and logs when"
            + " OTEL_EXPORTER_OTLP_ENDPOINT is set). --once runs them once and exits 1 when one failed.")
final class ProbeCommand implements Callable<Integer> {
  @Mixin ConnectionOptions connection;

  @Option(
      names = "--interval",
      defaultValue = "30s",
      converter = DurationConverter.class,
      description = "Time between rounds of canaries (default: ${DEFAULT-VALUE}).")
  Duration interval;

  @Option(
      names = "--once",
      description = "Run every canary once; exit 0 when all passed, 1 otherwise.")
  boolean once;

  @Option(
      names = "--metrics-port",
      defaultValue = "9464",
      description = "Prometheus scrape endpoint on 127.0.0.1 (0: none; default: ${DEFAULT-VALUE}).")
  int metricsPort;

  @Option(
      names = "--lang",
      split = ",",
      paramLabel = "LANG",
      description =
          "Languages whose hello is a canary (default: every language the cluster lists with a sample here).")
  List<String> languages = new ArrayList<>();

  @Option(
      names = "--canaries",
      paramLabel = "FILE",
      description =
          "Canaries from a profile file (same format as --profile) instead of the built-in ones.")
  Path canaryFile;

  @Option(names = "--no-judged", description = "Leave out the judged canary.")
  boolean noJudged;

  @Option(
      names = "--no-time-limit",
      description = "Leave out the canary that must hit its time limit.")
  boolean noTimeLimit;

  @Option(
      names = "--timeout",
      defaultValue = "60s",
      converter = DurationConverter.class,
      description = "A canary that takes longer fails (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Override
  public Integer call() throws Exception {
    try (Telemetry telemetry = Telemetry.start(telemetryOptions());
        PolyrunClient client =
            connection
                .clientBuilder(1)
                .streamDeadline(timeout)
                .interceptor(GrpcTelemetry.client(telemetry.openTelemetry()))
                .build()) {
      ProbeMetrics metrics = new ProbeMetrics(telemetry.meter("polyrun.probe"));
      List<Program> canaries = canaries(client);
      Probe probe =
          new Probe(
              canaries, new Caller(client), metrics, telemetry.tracer("polyrun.probe"), System.out);
      if (once) {
        return probe.runOnce().stream().allMatch(Probe.Run::ok) ? 0 : 1;
      }
      System.err.printf(
          "probe: %d canaries every %s; metrics on http://127.0.0.1:%d/metrics%n",
          canaries.size(), interval, telemetry.prometheusPort().orElse(0));
      CountDownLatch stop = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
      do {
        probe.runOnce();
      } while (!stop.await(interval.toMillis(), TimeUnit.MILLISECONDS));
      return 0;
    }
  }

  /**
   * Service {@code polyrun-probe}; OTLP (on when {@code OTEL_EXPORTER_OTLP_ENDPOINT} is set) over
   * HTTP/protobuf every 60 s unless the standard {@code OTEL_*} variables say otherwise; the scrape
   * endpoint unless --once or --metrics-port 0.
   */
  private TelemetryOptions telemetryOptions() {
    TelemetryOptions.Builder b =
        TelemetryOptions.builder("polyrun-probe")
            .otlpProtocol("http/protobuf")
            .exportInterval(Duration.ofSeconds(60));
    if (once || metricsPort == 0) {
      b.prometheus(TelemetryOptions.Prometheus.OFF);
    } else {
      b.prometheusServer("127.0.0.1", metricsPort);
    }
    return b.build();
  }

  private List<Program> canaries(PolyrunClient client) {
    if (canaryFile != null) {
      return Profile.read(canaryFile).programs();
    }
    Samples samples = Samples.fromSystem();
    List<String> langs = new ArrayList<>(languages);
    if (langs.isEmpty()) {
      try {
        for (Language l : client.languages()) {
          if (Files.isDirectory(samples.root().resolve("images").resolve(l.getName()))) {
            langs.add(l.getName());
          }
        }
      } catch (PolyrunException e) {
        // The probe reports an unreachable service as failed canaries, not as its own failure.
        langs.add("python");
      }
    }
    List<Program> canaries = new ArrayList<>();
    for (String lang : langs) {
      canaries.add(samples.hello(lang.strip()));
    }
    if (!noJudged) {
      canaries.add(samples.judged());
    }
    if (!noTimeLimit) {
      canaries.add(Samples.timeLimit());
    }
    return canaries;
  }
}
