package dev.polyrun.worker.internal.job;

import com.google.protobuf.ByteString;
import dev.polyrun.config.LimitsRule;
import dev.polyrun.config.StageLimits;
import dev.polyrun.proto.v1.JobState;
import dev.polyrun.proto.v1.Limits;
import dev.polyrun.proto.v1.Result;
import dev.polyrun.proto.v1.SourceFile;
import dev.polyrun.proto.v1.SubmitRequest;
import dev.polyrun.proto.v1.Verdict;
import dev.polyrun.queue.Delivery;
import dev.polyrun.queue.LimitsProto;
import dev.polyrun.queue.WorkQueue;
import dev.polyrun.sandbox.Sandbox;
import dev.polyrun.sandbox.SandboxPolicy;
import dev.polyrun.sandbox.StageResult;
import dev.polyrun.sandbox.StageSpec;
import dev.polyrun.sandbox.WorkDir;
import dev.polyrun.worker.language.InstalledLanguage;
import dev.polyrun.worker.language.LanguageCatalog;
import dev.polyrun.worker.language.LanguageDefinition;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one delivery of a job: writes its files, compiles it in one container, runs it in another
 * over the same work directory, streams its output, stores the result and acknowledges it.
 */
public final class JobRunner {
  private static final Logger log = LoggerFactory.getLogger(JobRunner.class);
  private final WorkQueue queue;
  private final Sandbox sandbox;
  private final LanguageCatalog catalog;
  private final JobMetrics metrics;
  private final WorkDirSize workDirSize;

  /**
   * @param workDirSize size and inode limits of each job's work directory
   */
  public JobRunner(
      WorkQueue queue,
      Sandbox sandbox,
      LanguageCatalog catalog,
      JobMetrics metrics,
      WorkDirSize workDirSize) {
    this.queue = queue;
    this.sandbox = sandbox;
    this.catalog = catalog;
    this.metrics = metrics;
    this.workDirSize = workDirSize;
  }

  /** Size of a job's work directory tmpfs. */
  public record WorkDirSize(long bytes, long inodes) {
    /** The size the policy declares ({@code filesystem.work}). */
    public static WorkDirSize of(SandboxPolicy policy) {
      return new WorkDirSize(
          policy.filesystem().work().sizeBytes(), policy.filesystem().work().inodes());
    }
  }

  /**
   * Runs the delivery to its end: stores its result and acknowledges it. Returns false, leaving the
   * delivery pending for another worker, when the attempt lost the job ({@code leaseLost}, or a
   * fenced write) or the result could not be stored; a job that ended otherwise meanwhile (e.g.
   * cancelled before it started) is acknowledged all the same. Interruption stops the running stage
   * and throws, leaving the delivery pending too.
   */
  public boolean run(Delivery delivery, java.util.function.BooleanSupplier leaseLost)
      throws InterruptedException {
    Attempt attempt = new Attempt(queue, delivery, leaseLost);
    java.time.Instant claimedAt = java.time.Instant.now();
    try {
      return runHeld(attempt, claimedAt);
    } finally {
      // also when the attempt failed or was interrupted before its stages ended
      attempt.closeWorkDir();
    }
  }

  private boolean runHeld(Attempt attempt, java.time.Instant claimedAt)
      throws InterruptedException {
    long threadCpuAtStart = threadCpu();
    Delivery delivery = attempt.delivery();
    Result result;
    try {
      result = execute(attempt);
    } catch (IOException e) {
      log.warn("job {} failed in the sandbox", delivery.jobId(), e);
      result = internalError("sandbox: " + e.getMessage());
    }
    // Before the result is stored: whoever sees the result may count on nothing of the job being
    // left on the host (the isolation tests do).
    attempt.closeWorkDir();
    if (Thread.currentThread().isInterrupted()) {
      throw new InterruptedException("stopped while running job " + delivery.jobId());
    }
    if (attempt.lost()) {
      log.info(
          "job {} attempt {} no longer holds the job; dropping its result",
          delivery.jobId(),
          delivery.attempt());
      ackIfEnded(delivery);
      return false;
    }
    result =
        Timelines.complete(
            Verdicts.withErrorReason(result),
            delivery.entryId(),
            claimedAt,
            attempt.stages(),
            java.time.Instant.now(),
            java.time.Duration.ofNanos(Math.max(0, threadCpu() - threadCpuAtStart)));
    JobState state =
        result.getVerdict() == Verdict.VERDICT_CANCELLED
            ? JobState.JOB_STATE_CANCELLED
            : JobState.JOB_STATE_DONE;
    Result finalResult = result;
    long seq = attempt.nextSeq();
    // true also when a retry finds the result this attempt stored before the reply was lost
    boolean stored =
        Retry.withBackoff(
                () -> queue.complete(delivery, seq, finalResult, state), Attempt.RETRY_WINDOW)
            .orElse(false);
    if (!stored) {
      ackIfEnded(delivery);
      return false;
    }
    Retry.withBackoff(
        () -> {
          queue.ack(delivery);
          return true;
        },
        Attempt.RETRY_WINDOW);
    metrics.finished(delivery.request().getLanguage(), result.getVerdict());
    return true;
  }

  /** Cpu time of the calling thread (the slot's), nanoseconds; 0 where the JVM cannot tell. */
  private static long threadCpu() {
    java.lang.management.ThreadMXBean threads =
        java.lang.management.ManagementFactory.getThreadMXBean();
    return threads.isCurrentThreadCpuTimeSupported()
        ? Math.max(0, threads.getCurrentThreadCpuTime())
        : 0;
  }

  /**
   * Acknowledges the delivery when its job is final (ended by another attempt, or cancelled before
   * this one started), so it leaves the jobs stream now instead of after a lease; the queue does
   * nothing for a job that another attempt still runs.
   */
  private void ackIfEnded(Delivery delivery) {
    try {
      queue.ack(delivery);
    } catch (RuntimeException e) {
      log.debug(
          "job {}: cannot acknowledge an abandoned delivery: {}", delivery.jobId(), e.getMessage());
    }
  }

  private Result execute(Attempt attempt) throws IOException, InterruptedException {
    SubmitRequest request = attempt.delivery().request();
    InstalledLanguage language =
        catalog.find(request.getLanguage(), request.getVersion()).orElse(null);
    if (language == null) {
      String version =
          request.getVersion().isEmpty() ? "" : " version '" + request.getVersion() + "'";
      return internalError(
              "language '"
                  + request.getLanguage()
                  + "'"
                  + version
                  + " is not installed on this worker")
          .toBuilder()
          .setErrorReason(dev.polyrun.queue.ErrorReasons.LANGUAGE_UNAVAILABLE)
          .build();
    }
    LanguageDefinition def = language.definition();
    // closed by run() once the stages ended
    WorkDir workDir =
        attempt.hold(
            sandbox.createWorkDir(
                attempt.delivery().jobId(), workDirSize.bytes(), workDirSize.inodes()));
    SourceFiles files = writeFiles(workDir, request, def);
    Result.Builder result = Result.newBuilder();
    if (def.compiled()) {
      attempt.state(JobState.JOB_STATE_COMPILING);
      StageLimits limits =
          limits("compile_limits", request.getCompileLimits(), def.limits().compile());
      List<String> argv =
          Commands.substitute(
              def.compile(), files, def.sourceExtensions(), request.getCompileOptionsList());
      CapturedOutput output = new CapturedOutput();
      StageResult compiled =
          attempt.stageEnded(
              sandbox.run(
                  spec(attempt, "compile", language, workDir, argv, new byte[0], limits), output));
      metrics.stage("compile", request.getLanguage(), compiled);
      result.setCompile(Verdicts.stats(compiled, limits));
      if (!compiled.succeeded()) {
        return compileFailure(result, compiled, limits, output);
      }
    }
    attempt.state(JobState.JOB_STATE_RUNNING);
    StageLimits limits = limits("run_limits", request.getRunLimits(), def.limits().run());
    List<String> argv = Commands.substitute(def.run(), files, def.sourceExtensions(), List.of());
    argv.addAll(request.getArgsList());
    if (request.getTestCasesCount() > 0) {
      java.util.concurrent.atomic.AtomicInteger index =
          new java.util.concurrent.atomic.AtomicInteger();
      Judge.judge(
          request,
          limits,
          (name, stdin, output) ->
              attempt.stageEnded(
                  sandbox.run(
                      caseSpec(
                          attempt, index.incrementAndGet(), language, workDir, argv, stdin, limits),
                      output)),
          attempt::testCase,
          result);
      return result.build();
    }
    RunOutput output = new RunOutput(attempt);
    StageResult ran =
        attempt.stageEnded(
            sandbox.run(
                spec(
                    attempt,
                    "run",
                    language,
                    workDir,
                    argv,
                    request.getStdin().toByteArray(),
                    limits),
                output));
    metrics.stage("run", request.getLanguage(), ran);
    return result
        .setVerdict(Verdicts.verdict(ran))
        .setMessage(Verdicts.message(ran, limits))
        .setRun(Verdicts.stats(ran, limits))
        .setStdout(ByteString.copyFrom(output.stdout()))
        .setStderr(ByteString.copyFrom(output.stderr()))
        .build();
  }

  private static Result compileFailure(
      Result.Builder result, StageResult compiled, StageLimits limits, CapturedOutput output) {
    Verdict stageVerdict = Verdicts.verdict(compiled);
    if (stageVerdict == Verdict.VERDICT_INTERNAL_ERROR
        || stageVerdict == Verdict.VERDICT_CANCELLED) {
      return result.setVerdict(stageVerdict).setMessage(Verdicts.message(compiled, limits)).build();
    }
    String detail = Verdicts.message(compiled, limits);
    return result
        .setVerdict(Verdict.VERDICT_COMPILE_ERROR)
        .setMessage(detail.isEmpty() ? "compilation failed" : "compilation failed: " + detail)
        .setCompileOutput(ByteString.copyFrom(output.bytes()))
        .build();
  }

  /** Writes the request's files under their own names; the entry is the first unless named. */
  private static SourceFiles writeFiles(
      WorkDir workDir, SubmitRequest request, LanguageDefinition def) throws IOException {
    List<String> paths = new ArrayList<>();
    for (SourceFile file : request.getFilesList()) {
      String path = file.getPath().isEmpty() ? def.sourceFile() : file.getPath();
      workDir.write(path, file.getContent().toByteArray());
      paths.add(path);
    }
    return new SourceFiles(
        request.getEntryFile().isEmpty() ? paths.get(0) : request.getEntryFile(), paths);
  }

  /**
   * A stage's limits. The coordinator stored them explicit, but for those it knew no default of (a
   * language no worker had advertised when the job was accepted): the one rule fills these from
   * this image's definition, without maxima (the coordinator applied them).
   */
  private static StageLimits limits(String field, Limits requested, StageLimits defaults) {
    return LimitsRule.resolve(
            limit -> LimitsProto.get(requested, limit), defaults, StageLimits.UNSET, false)
        .orThrow(field);
  }

  private static Result internalError(String message) {
    return Result.newBuilder()
        .setVerdict(Verdict.VERDICT_INTERNAL_ERROR)
        .setMessage(message)
        .build();
  }

  /** A test case's run: a fresh container over a read-only /work. */
  private static StageSpec caseSpec(
      Attempt attempt,
      int index,
      InstalledLanguage language,
      WorkDir workDir,
      List<String> argv,
      byte[] stdin,
      StageLimits limits) {
    // the index keeps names unique whatever the cases are called
    StageSpec run = spec(attempt, "case-" + index, language, workDir, argv, stdin, limits);
    return new StageSpec(
        run.name(),
        run.rootfs(),
        run.workDir(),
        run.argv(),
        run.env(),
        run.stdin(),
        run.limits(),
        run.cancelled(),
        true,
        run.languagePolicy());
  }

  private static StageSpec spec(
      Attempt attempt,
      String stage,
      InstalledLanguage language,
      WorkDir workDir,
      List<String> argv,
      byte[] stdin,
      StageLimits limits) {
    Map<String, String> env = new HashMap<>();
    if (language.definition().env() != null) {
      env.putAll(language.definition().env());
    }
    env.put("HOME", "/tmp");
    env.putIfAbsent("LANG", "C.UTF-8");
    Delivery delivery = attempt.delivery();
    String name = delivery.jobId() + "-a" + delivery.attempt() + "-" + stage;
    List<String> command = new ArrayList<>(Commands.init(language.rootfs()));
    command.addAll(argv);
    return new StageSpec(
            name, language.rootfs(), workDir, command, env, stdin, limits, attempt::shouldStop)
        .withLanguagePolicy(language.sandboxPolicy());
  }
}
