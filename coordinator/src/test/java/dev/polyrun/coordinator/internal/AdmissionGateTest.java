package dev.polyrun.coordinator.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.rpc.RetryInfo;
import dev.polyrun.coordinator.AdmissionOptions;
import dev.polyrun.queue.QueueLoad;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class AdmissionGateTest {
  private final AtomicReference<QueueLoad> load =
      new AtomicReference<>(new QueueLoad(0, 0, Duration.ZERO));
  private final AtomicInteger reads = new AtomicInteger();
  private final AtomicLong nanos = new AtomicLong(1);
  private final AdmissionGate gate =
      new AdmissionGate(
          countUpTo -> {
            reads.incrementAndGet();
            return load.get();
          },
          new AdmissionOptions(
              10, Duration.ofSeconds(30), Duration.ofSeconds(3), Duration.ofSeconds(1)),
          nanos::get);

  private static void assertRefused(Runnable check, String message) {
    assertThatThrownBy(check::run)
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
              assertThat(e.getStatus().getDescription())
                  .contains(message)
                  .endsWith("(retry in 3.0 s)");
              try {
                assertThat(Statuses.reasonOf(e)).isEqualTo("QUEUE_FULL");
                RetryInfo retry =
                    StatusProto.fromThrowable(e).getDetails(1).unpack(RetryInfo.class);
                assertThat(retry.getRetryDelay().getSeconds()).isEqualTo(3);
              } catch (com.google.protobuf.InvalidProtocolBufferException ex) {
                throw new AssertionError(ex);
              }
            });
  }

  @Test
  void aQueueBelowTheThresholdsAdmits() {
    load.set(new QueueLoad(9, 50, Duration.ofSeconds(30)));

    assertThatCode(gate::check).doesNotThrowAnyException();
  }

  @Test
  void aDeepQueueRefusesWithTheRetryDelay() {
    load.set(new QueueLoad(10, 0, Duration.ZERO));

    assertRefused(gate::check, "10 jobs are waiting for a worker (at most 10 may wait)");
  }

  @Test
  void anOldQueueRefusesWithTheRetryDelay() {
    load.set(new QueueLoad(1, 0, Duration.ofMillis(30_001)));

    assertRefused(gate::check, "the oldest waiting job has waited 30.0 s (at most 30.0 s)");
  }

  @Test
  void theLoadIsReadAtMostEveryQuarterSecond() {
    gate.check();
    load.set(new QueueLoad(100, 0, Duration.ZERO));
    nanos.addAndGet(Duration.ofMillis(200).toNanos());
    gate.check();
    assertThat(reads).hasValue(1);

    nanos.addAndGet(Duration.ofMillis(100).toNanos());

    assertThatThrownBy(gate::check).isInstanceOf(StatusRuntimeException.class);
    assertThat(reads).hasValue(2);
  }

  @Test
  void zeroThresholdsTurnAdmissionControlOff() {
    AdmissionGate off =
        new AdmissionGate(
            countUpTo -> {
              throw new AssertionError("no read expected");
            },
            new AdmissionOptions(0, Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(1)),
            nanos::get);

    assertThatCode(off::check).doesNotThrowAnyException();
  }
}
