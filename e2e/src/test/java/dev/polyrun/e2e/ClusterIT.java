package dev.polyrun.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.rpc.BadRequest;
import dev.polyrun.proto.v1.ExecuteRequest;
import dev.polyrun.proto.v1.ExecutorServiceGrpc;
import dev.polyrun.proto.v1.GetJobRequest;
import dev.polyrun.proto.v1.JobEvent;
import dev.polyrun.proto.v1.JobState;
import dev.polyrun.proto.v1.Language;
import dev.polyrun.proto.v1.Limits;
import dev.polyrun.proto.v1.ListLanguagesRequest;
import dev.polyrun.proto.v1.Result;
import dev.polyrun.proto.v1.SourceFile;
import dev.polyrun.proto.v1.StreamEventsRequest;
import dev.polyrun.proto.v1.Verdict;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Programs submitted over gRPC run in runc containers on a real worker and stream back. */
class ClusterIT {
  @RegisterExtension static final ClusterExtension cluster = ClusterExtension.standard();

  static ExecuteRequest program(String language, String source) {
    return ExecuteRequest.newBuilder()
        .setLanguage(language)
        .addFiles(SourceFile.newBuilder().setContent(ByteString.copyFromUtf8(source)))
        .build();
  }

  /** Runs the request with Execute and collects its events. */
  static List<JobEvent> execute(ExecuteRequest request) {
    List<JobEvent> events = new ArrayList<>();
    cluster.blocking().execute(request).forEachRemaining(events::add);
    return events;
  }

  static String stdout(List<JobEvent> events) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    events.stream()
        .filter(JobEvent::hasStdout)
        .forEach(e -> out.writeBytes(e.getStdout().toByteArray()));
    return out.toString(java.nio.charset.StandardCharsets.UTF_8);
  }

  static Result result(List<JobEvent> events) {
    assertThat(events).last().satisfies(e -> assertThat(e.hasResult()).isTrue());
    return events.get(events.size() - 1).getResult();
  }

  @Test
  void pythonHelloWorldPrintsAndEndsOk() {
    List<JobEvent> events = execute(program("python", "print('Hello, world!')"));

    assertThat(stdout(events)).isEqualTo("Hello, world!\n");
    Result result = result(events);
    assertThat(result.getVerdict()).isEqualTo(Verdict.VERDICT_OK);
    assertThat(result.getRun().getExitCode()).isZero();
    assertThat(result.getRun().getWallTimeMs()).isPositive();
    assertThat(result.getRun().getPeakMemoryBytes()).isPositive();
    assertThat(events.get(0).getState().getState()).isEqualTo(JobState.JOB_STATE_QUEUED);
    assertThat(events)
        .allSatisfy(e -> assertThat(e.getJobId()).isEqualTo(events.get(0).getJobId()));
  }

  @Test
  void cHelloWorldIsCompiledThenRun() {
    List<JobEvent> events =
        execute(
            program(
                "c", "#include <stdio.h>\nint main(void){puts(\"Hello, world!\");return 0;}\n"));

    assertThat(stdout(events)).isEqualTo("Hello, world!\n");
    Result result = result(events);
    assertThat(result.getVerdict()).isEqualTo(Verdict.VERDICT_OK);
    assertThat(result.getCompile().getExitCode()).isZero();
    assertThat(result.getCompile().getCpuTimeMs()).isPositive();
    assertThat(events)
        .extracting(e -> e.getState().getState())
        .containsSubsequence(
            JobState.JOB_STATE_QUEUED, JobState.JOB_STATE_COMPILING, JobState.JOB_STATE_RUNNING);
  }

  @Test
  void programReadsItsStdin() {
    ExecuteRequest request =
        program("python", "import sys\nprint(sys.stdin.read().upper(), end='')").toBuilder()
            .setStdin(ByteString.copyFromUtf8("shout\nthis\n"))
            .build();

    assertThat(stdout(execute(request))).isEqualTo("SHOUT\nTHIS\n");
  }

  @Test
  void exitCodeThreeIsARuntimeErrorWithThatCode() {
    Result result = result(execute(program("python", "import sys\nprint('bye')\nsys.exit(3)")));

    assertThat(result.getVerdict()).isEqualTo(Verdict.VERDICT_RUNTIME_ERROR);
    assertThat(result.getRun().getExitCode()).isEqualTo(3);
    assertThat(result.getMessage()).isEqualTo("exit code 3");
  }

  @Test
  void cCompileErrorCarriesTheCompilersMessage() {
    List<JobEvent> events = execute(program("c", "int main(void) { return undefined_thing; }\n"));

    Result result = result(events);
    assertThat(result.getVerdict()).isEqualTo(Verdict.VERDICT_COMPILE_ERROR);
    assertThat(result.getCompileOutput().toStringUtf8())
        .contains("undefined_thing")
        .contains("error");
    assertThat(result.getCompile().getExitCode()).isNotZero();
    assertThat(result.hasRun()).isFalse();
    assertThat(events)
        .noneMatch(e -> e.hasState() && e.getState().getState() == JobState.JOB_STATE_RUNNING);
  }

  @Test
  void outputIsStreamedAsItIsPrinted() {
    ExecuteRequest request =
        program(
            "python", "import time\nprint('first', flush=True)\ntime.sleep(4)\nprint('second')");
    Iterator<JobEvent> stream = cluster.blocking().execute(request);
    long firstAt = 0;
    long secondAt = 0;
    StringBuilder seen = new StringBuilder();
    while (stream.hasNext()) {
      JobEvent e = stream.next();
      if (e.hasStdout()) {
        seen.append(e.getStdout().toStringUtf8());
        if (firstAt == 0 && seen.toString().contains("first")) {
          firstAt = System.nanoTime();
        }
        if (secondAt == 0 && seen.toString().contains("second")) {
          secondAt = System.nanoTime();
        }
      }
    }
    assertThat(seen.toString()).isEqualTo("first\nsecond\n");
    // a result sent whole would bring both lines at once; the margin is for a busy host, where the
    // first line's way to the client can be slower than the second's
    assertThat(secondAt - firstAt)
        .as("nanoseconds between the two lines' arrival")
        .isGreaterThan(2_000_000_000L);
  }

  @Test
  void timeLimitSaysWallAndKillsTheProgram() {
    ExecuteRequest request =
        program("python", "import time\ntime.sleep(30)").toBuilder()
            .setRunLimits(Limits.newBuilder().setWallTimeMs(1000))
            .build();

    Result result = result(execute(request));

    assertThat(result.getVerdict()).isEqualTo(Verdict.VERDICT_TIME_LIMIT_EXCEEDED);
    assertThat(result.getRun().getTimeLimitKind())
        .isEqualTo(dev.polyrun.proto.v1.TimeLimitKind.TIME_LIMIT_KIND_WALL);
    // stopped at its limit, not when the program would have ended (30 s); the slack is for a busy
    // host
    assertThat(result.getRun().getWallTimeMs()).isBetween(1000L, 3000L);
  }

  @Test
  void invalidRequestIsRefusedNamingTheFieldAndTheAllowedValues() {
    ExecuteRequest request =
        program("intercal", "PLEASE GIVE UP").toBuilder()
            .setRunLimits(Limits.newBuilder().setMemoryBytes(17179869184L))
            .build();

    assertThatThrownBy(() -> cluster.blocking().submit(LocalCluster.asSubmit(request)))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
              assertThat(e.getStatus().getDescription())
                  .contains("language: 'intercal' (expected: one of [")
                  .contains(
                      "run_limits.memory_bytes: 17179869184 (expected: 0 for the default, or 1..2147483648)");
              BadRequest details = badRequest(e);
              assertThat(details.getFieldViolationsList())
                  .extracting(BadRequest.FieldViolation::getField)
                  .containsExactlyInAnyOrder("language", "run_limits.memory_bytes");
            });
  }

  @Test
  void requestWithoutSourceIsRefused() {
    ExecuteRequest request = ExecuteRequest.newBuilder().setLanguage("python").build();

    assertThatThrownBy(() -> execute(request))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getDescription()).contains("files: no source file"));
  }

  private static BadRequest badRequest(StatusRuntimeException e) {
    return StatusDetails.detail(e, BadRequest.class);
  }

  @Test
  void submittedJobCanBeReadAndStreamedFromACursor() {
    String jobId =
        cluster
            .blocking()
            .submit(LocalCluster.asSubmit(program("python", "print('a')\nprint('b')")))
            .getJobId();
    List<JobEvent> all = new ArrayList<>();
    cluster
        .blocking()
        .streamEvents(StreamEventsRequest.newBuilder().setJobId(jobId).build())
        .forEachRemaining(all::add);
    JobEvent queued = all.get(0);

    List<JobEvent> rest = new ArrayList<>();
    cluster
        .blocking()
        .streamEvents(
            StreamEventsRequest.newBuilder()
                .setJobId(jobId)
                .setAfterCursor(queued.getCursor())
                .build())
        .forEachRemaining(rest::add);

    assertThat(rest).isEqualTo(all.subList(1, all.size()));
    var job = cluster.blocking().getJob(GetJobRequest.newBuilder().setJobId(jobId).build());
    assertThat(job.getState()).isEqualTo(JobState.JOB_STATE_DONE);
    assertThat(job.getResult().getVerdict()).isEqualTo(Verdict.VERDICT_OK);
    assertThat(job.getAttempt()).isEqualTo(1);
  }

  @Test
  void resumingAfterTheLastEventOfAFinishedJobEndsTheStreamAtOnce() {
    List<JobEvent> all = execute(program("python", "print('done')"));
    JobEvent last = all.get(all.size() - 1);

    List<JobEvent> rest = new ArrayList<>();
    long start = System.nanoTime();
    cluster
        .blocking()
        .streamEvents(
            StreamEventsRequest.newBuilder()
                .setJobId(last.getJobId())
                .setAfterCursor(last.getCursor())
                .build())
        .forEachRemaining(rest::add);

    assertThat(rest).isEmpty();
    assertThat((System.nanoTime() - start) / 1_000_000)
        .as("milliseconds until the stream ended")
        .isLessThan(5000);
  }

  @Test
  void unknownJobIsNotFound() {
    assertThatThrownBy(
            () ->
                cluster
                    .blocking()
                    .getJob(
                        GetJobRequest.newBuilder()
                            .setJobId("00000000-0000-0000-0000-000000000000")
                            .build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
  }

  @Test
  void languagesAreListedWithProbedVersions() {
    List<Language> languages =
        cluster
            .blocking()
            .listLanguages(ListLanguagesRequest.getDefaultInstance())
            .getLanguagesList();

    assertThat(languages).extracting(Language::getName).contains("c", "python");
    Language python =
        languages.stream().filter(l -> l.getName().equals("python")).findFirst().orElseThrow();
    assertThat(python.getVersion()).matches("3\\.\\d+\\.\\d+.*");
    assertThat(python.getExtensionsList()).contains(".py");
    assertThat(python.getCompiled()).isFalse();
  }

  static ExecutorServiceGrpc.ExecutorServiceBlockingStub stub() {
    return cluster.blocking();
  }
}
