package dev.polyrun.worker;

import dev.polyrun.config.Settings;
import dev.polyrun.sandbox.SandboxUnavailableException;
import dev.polyrun.telemetry.Logging;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point of the worker daemon. Settings come from the environment ({@code POLYRUN_*}) or a
 * properties file named by {@code --config} / {@code POLYRUN_CONFIG}; {@link
 * WorkerSettings#fromSettings} reads them (the worker's README lists every key), and {@link
 * Worker#builder} assembles the worker. A bad setting, or a sandbox that cannot take effect on this
 * host, exits 2 with a message saying why; SIGTERM drains and exits 0.
 */
public final class WorkerMain {
  private static final Logger log = LoggerFactory.getLogger(WorkerMain.class);

  private WorkerMain() {}

  public static void main(String[] args) throws Exception {
    Path config = args.length == 2 && args[0].equals("--config") ? Path.of(args[1]) : null;
    Settings settings = Settings.load(config);
    WorkerSettings options;
    try {
      if (settings.get("log.format", null) != null || settings.get("log.level", null) != null) {
        Logging.apply(settings.get("log.format", null), settings.get("log.level", null));
      }
      options = WorkerSettings.fromSettings(settings);
    } catch (IllegalArgumentException | UncheckedIOException e) {
      log.error("bad configuration: {}", e.getMessage());
      System.exit(2);
      return;
    }
    Worker worker;
    try {
      worker = Worker.builder(options).build();
    } catch (SandboxUnavailableException | IllegalArgumentException e) {
      // Less isolation than configured is no option: refuse to start, and say why.
      log.error("cannot start: {}", e.getMessage());
      System.exit(2);
      return;
    }
    CountDownLatch stop = new CountDownLatch(1);
    for (String name : new String[] {"TERM", "INT"}) {
      sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> stop.countDown());
    }
    worker.start();
    log.info(
        "worker {} uses cgroup {}, redis {}, images {}, metrics {}",
        options.workerId(),
        worker.sandboxFacts().cgroupVersion(),
        options.redis().address(),
        options.imageDir(),
        worker.prometheusPort().isPresent()
            ? "on "
                + options.telemetry().prometheusHost()
                + ":"
                + worker.prometheusPort().getAsInt()
                + "/metrics"
            : "by OTLP only (no scrape port)");
    stop.await();
    log.info("stopping: no new jobs; running jobs get {} to finish", options.gracePeriod());
    worker.close();
    System.exit(0);
  }
}
