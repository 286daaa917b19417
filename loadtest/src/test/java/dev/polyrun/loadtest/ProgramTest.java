package dev.polyrun.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.polyrun.loadtest.internal.Samples;
import dev.polyrun.proto.v1.Result;
import dev.polyrun.proto.v1.Verdict;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ProgramTest {
  private static final Samples SAMPLES = new Samples(Path.of("..").toAbsolutePath().normalize());

  @Test
  void aHelloMustPrintExactlyItsExpectedOutput() {
    Program hello = SAMPLES.hello("python");
    Result ok = Result.newBuilder().setVerdict(Verdict.VERDICT_OK).build();

    assertThat(hello.check(ok, ByteString.copyFromUtf8("Hello, world!\n"))).isEmpty();
    assertThat(hello.check(ok, ByteString.copyFromUtf8("Hello, world!")))
        .get(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .contains("stdout 'Hello, world!'")
        .contains("expected: 'Hello, world!\\n'");
  }

  @Test
  void theVerdictMustBeTheExpectedOne() {
    Result tle = Result.newBuilder().setVerdict(Verdict.VERDICT_TIME_LIMIT_EXCEEDED).build();

    assertThat(Samples.timeLimit().check(tle, ByteString.EMPTY)).isEmpty();
    assertThat(SAMPLES.hello("c").check(tle, ByteString.EMPTY))
        .get(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .contains("VERDICT_TIME_LIMIT_EXCEEDED (expected: VERDICT_OK)");
  }

  @Test
  void aJudgedProgramMustPassEveryCase() {
    Program judged = SAMPLES.judged();
    Result all =
        Result.newBuilder().setVerdict(Verdict.VERDICT_ACCEPTED).setTestCasesPassed(10).build();
    Result some =
        Result.newBuilder().setVerdict(Verdict.VERDICT_ACCEPTED).setTestCasesPassed(9).build();

    assertThat(judged.check(all, ByteString.EMPTY)).isEmpty();
    assertThat(judged.check(some, ByteString.EMPTY)).hasValue("passed 9 of 10 test cases");
  }
}
