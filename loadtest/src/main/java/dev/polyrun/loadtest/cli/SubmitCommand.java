package dev.polyrun.loadtest.cli;

import dev.polyrun.client.PolyrunException;
import dev.polyrun.loadtest.Latency;
import dev.polyrun.loadtest.Program;
import dev.polyrun.loadtest.RunReport;
import dev.polyrun.loadtest.internal.Aggregate;
import dev.polyrun.loadtest.internal.ClientPool;
import dev.polyrun.loadtest.internal.Outcome;
import dev.polyrun.loadtest.internal.Recorder;
import dev.polyrun.proto.v1.SubmitRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Submit at saturation: many callers over several channels call Submit as fast as answers come.
 * Accepted jobs are cancelled right away by a few other threads (default), so the workers do not
 * run thousands of jobs afterwards and the tenant's active-job quota is not what stops the run.
 */
@Command(
    name = "submit",
    mixinStandardHelpOptions = true,
    description =
        "Submit rate at saturation: C callers over --channels channels for D; accepted jobs are"
            + " cancelled as they come (unless --keep-jobs).")
final class SubmitCommand extends ScenarioCommand {
  @Option(
      names = {"-c", "--concurrency"},
      defaultValue = "32",
      description = "Concurrent callers (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(
      names = {"-d", "--duration"},
      defaultValue = "10s",
      converter = DurationConverter.class,
      description = "How long callers submit (default: ${DEFAULT-VALUE}).")
  Duration duration;

  @Option(
      names = "--lang",
      defaultValue = "python",
      description = "Language of the submitted hello (default: ${DEFAULT-VALUE}).")
  String language;

  @Option(
      names = "--keep-jobs",
      description = "Leave the accepted jobs to run instead of cancelling them.")
  boolean keepJobs;

  @Override
  void run(RunReport.Builder report) throws Exception {
    Program program = samples().hello(language);
    SubmitRequest request =
        SubmitRequest.newBuilder()
            .setLanguage(program.language())
            .addAllFiles(program.files())
            .build();
    Recorder recorder = new Recorder();
    AtomicLong cancelled = new AtomicLong();
    long start = System.nanoTime();
    try (ClientPool pool = connection.pool(0)) {
      load(pool, program.name(), request, recorder, cancelled);
    }
    double seconds = duration.toMillis() / 1000.0;
    List<Outcome> all = recorder.all();
    long accepted = all.stream().filter(Outcome::ok).count();
    Latency latency = Latency.of(all.stream().filter(Outcome::ok).toList(), Outcome::serviceMs);
    report.programs.add(
        new RunReport.ProgramStats(
            program.name() + " submit",
            program.language(),
            all.size(),
            all.size() - accepted,
            accepted / seconds,
            latency,
            Map.of(),
            null,
            null,
            null,
            Map.of(),
            Map.of(),
            null,
            null));
    report.series = Aggregate.series(all, start);
    errors(report, all);
    report.metric("accepted submissions", accepted / seconds, "per second", "higher");
    report.metric("submit p50", latency.p50(), "ms", "lower");
    report.metric("submit p99", latency.p99(), "ms", "lower");
    report.metric("refused or failed", all.size() - accepted, "calls", "none");
    report.notes.add(
        keepJobs
            ? "accepted jobs were left to run"
            : cancelled.get()
                + " accepted jobs were cancelled as they came (CancelJob shares the coordinator's CPU)");
  }

  /** Callers submit until the duration is over; a few cancellers cancel what they accepted. */
  private void load(
      ClientPool pool, String name, SubmitRequest request, Recorder recorder, AtomicLong cancelled)
      throws InterruptedException {
    LinkedBlockingQueue<String> toCancel = new LinkedBlockingQueue<>();
    List<Thread> cancellers = new ArrayList<>();
    for (int i = 0; !keepJobs && i < 4; i++) {
      int index = i;
      cancellers.add(Thread.ofVirtual().start(() -> cancelLoop(pool, index, toCancel, cancelled)));
    }
    long end = System.nanoTime() + duration.toNanos();
    List<Thread> callers = new ArrayList<>();
    for (int i = 0; i < concurrency; i++) {
      int index = i;
      callers.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    while (System.nanoTime() < end) {
                      Outcome o = submit(pool, index, name, request);
                      recorder.add(o);
                      if (o.accepted() && !keepJobs) {
                        toCancel.add(o.jobId());
                      }
                    }
                  }));
    }
    for (Thread t : callers) {
      t.join();
    }
    cancellers.forEach(t -> toCancel.add(""));
    for (Thread t : cancellers) {
      t.join();
    }
  }

  private static Outcome submit(ClientPool pool, int index, String name, SubmitRequest request) {
    long t0 = System.nanoTime();
    try {
      String id = pool.client(index).submit(request);
      return new Outcome(
          name, t0, t0, System.nanoTime(), id, "ACCEPTED", null, null, 0, -1, Map.of());
    } catch (PolyrunException e) {
      return new Outcome(
          name,
          t0,
          t0,
          System.nanoTime(),
          null,
          null,
          e.code().name(),
          e.getMessage(),
          0,
          -1,
          Map.of());
    }
  }

  private static void cancelLoop(
      ClientPool pool, int index, LinkedBlockingQueue<String> ids, AtomicLong cancelled) {
    try {
      while (true) {
        String id = ids.take();
        if (id.isEmpty()) {
          return;
        }
        try {
          pool.client(index).cancel(id);
          cancelled.incrementAndGet();
        } catch (PolyrunException e) {
          // already final, or the service is busy: the job runs, which costs only time
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
