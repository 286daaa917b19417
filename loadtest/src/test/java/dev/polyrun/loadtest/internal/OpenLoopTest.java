package dev.polyrun.loadtest.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.polyrun.loadtest.Profile;
import dev.polyrun.loadtest.Program;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OpenLoopTest {
  private static final Program HELLO =
      Program.of(
          "hello", "python", ByteString.copyFromUtf8("print(1)"), ByteString.copyFromUtf8("1\n"));

  private static Outcome answered(Program p, long intended) {
    return new Outcome(
        p.name(),
        intended,
        System.nanoTime(),
        System.nanoTime(),
        "job",
        "VERDICT_OK",
        null,
        null,
        1,
        -1,
        Map.of());
  }

  @Test
  void arrivalsKeepTheirScheduleWhileTheServiceStalls() throws Exception {
    Recorder recorder = new Recorder();
    // Every call takes 300 ms, longer than the 50 ms between arrivals: a closed loop would slow
    // down.
    OpenLoop.Sender stalling =
        (i, p, intended) -> {
          try {
            Thread.sleep(300);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return answered(p, intended);
        };

    new OpenLoop(20, Duration.ofMillis(500), 100, Duration.ofSeconds(10))
        .run(Profile.of(HELLO), stalling, recorder, 1);

    List<Long> intended = recorder.all().stream().map(Outcome::intendedNanos).sorted().toList();
    assertThat(intended).hasSize(10);
    for (int i = 1; i < intended.size(); i++) {
      assertThat(intended.get(i) - intended.get(i - 1)).isEqualTo(50_000_000L);
    }
    // Latency counts from the intended time, so it holds the whole stall.
    assertThat(recorder.all())
        .allSatisfy(o -> assertThat(o.latencyMs()).isGreaterThanOrEqualTo(300));
  }

  @Test
  void arrivalsBeyondTheInFlightLimitAreRecordedNotSent() throws Exception {
    Recorder recorder = new Recorder();
    OpenLoop.Sender stuck =
        (i, p, intended) -> {
          try {
            Thread.sleep(2000);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return answered(p, intended);
        };

    new OpenLoop(50, Duration.ofMillis(200), 3, Duration.ofSeconds(10))
        .run(Profile.of(HELLO), stuck, recorder, 1);

    assertThat(recorder.all()).hasSize(10);
    assertThat(recorder.where(o -> "CLIENT_OVERLOAD".equals(o.error()))).hasSize(7);
  }
}
