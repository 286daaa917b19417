package dev.polyrun.worker.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.polyrun.proto.v1.JobEvent;
import dev.polyrun.proto.v1.Verdict;
import dev.polyrun.queue.QueueUnavailableException;
import dev.polyrun.queue.WorkQueue;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A worker whose every event and result write goes through but whose reply is lost (as when Redis
 * stalls past the socket timeout): each retry is recognized, every event is in the stream once, and
 * the worker still acknowledges its delivery.
 */
class LostRepliesIT {
  private static final AtomicInteger lostReplies = new AtomicInteger();
  private static WorkerHarness harness;

  @BeforeAll
  static void start() throws Exception {
    harness = new WorkerHarness(LostRepliesIT::losingFirstReplies);
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  /**
   * The queue, except that the first try of every publish and complete loses its reply after the
   * write.
   */
  private static WorkQueue losingFirstReplies(WorkQueue queue) {
    java.util.Set<String> tried = java.util.concurrent.ConcurrentHashMap.newKeySet();
    return (WorkQueue)
        Proxy.newProxyInstance(
            WorkQueue.class.getClassLoader(),
            new Class<?>[] {WorkQueue.class},
            (proxy, method, args) -> {
              Object reply;
              try {
                reply = method.invoke(queue, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
              boolean write =
                  method.getName().equals("publish") || method.getName().equals("complete");
              if (write && tried.add(method.getName() + "#" + args[1])) {
                lostReplies.incrementAndGet();
                throw new QueueUnavailableException(
                    "redis unavailable: Read timed out (the write went through)", null);
              }
              return reply;
            });
  }

  @Test
  void everyEventIsStoredOnceAndTheDeliveryAcknowledgedWhenRepliesAreLost() throws Exception {
    WorkerHarness.Outcome outcome =
        harness.run(
            "python",
            "import sys\nprint('begin', flush=True)\nprint('warn', file=sys.stderr, flush=True)\nprint('end')");

    assertThat(lostReplies.get()).as("replies lost").isGreaterThanOrEqualTo(4);
    assertThat(outcome.result().getVerdict()).isEqualTo(Verdict.VERDICT_OK);
    assertThat(outcome.stdout()).isEqualTo("begin\nend\n");
    assertThat(outcome.stderr()).isEqualTo("warn\n");
    List<JobEvent> events = outcome.events();
    assertThat(events).filteredOn(JobEvent::hasResult).hasSize(1);
    assertThat(events)
        .filteredOn(JobEvent::hasState)
        .extracting(e -> e.getState().getState())
        .as("QUEUED, then RUNNING once")
        .hasSize(2)
        .doesNotHaveDuplicates();
    assertThat(outcome.result().getStdout().toStringUtf8())
        .as("the stored result's stdout")
        .isEqualTo("begin\nend\n");
    assertThat(outcome.result().getStderr().toStringUtf8()).isEqualTo("warn\n");
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (harness.queue.depth().pending() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(harness.queue.depth().pending()).as("acknowledged").isZero();
  }
}
