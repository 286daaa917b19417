package dev.polyrun.coordinator.it;

import dev.polyrun.proto.v1.JobEvent;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A client of one event stream that keeps what it received. A slow one asks for a single message
 * and then for nothing until {@link #readAll}, so the server sees a client that does not read.
 */
final class Collector<Q> implements ClientResponseObserver<Q, JobEvent> {
  final List<JobEvent> events = Collections.synchronizedList(new ArrayList<>());
  final CompletableFuture<Status> done = new CompletableFuture<>();
  private final boolean slow;
  private volatile ClientCallStreamObserver<Q> call;

  Collector(boolean slow) {
    this.slow = slow;
  }

  static <Q> Collector<Q> reading() {
    return new Collector<>(false);
  }

  static <Q> Collector<Q> notReading() {
    return new Collector<>(true);
  }

  @Override
  public void beforeStart(ClientCallStreamObserver<Q> requestStream) {
    call = requestStream;
    if (slow) {
      requestStream.disableAutoRequestWithInitial(1);
    }
  }

  @Override
  public void onNext(JobEvent event) {
    events.add(event);
  }

  @Override
  public void onError(Throwable t) {
    done.complete(Status.fromThrowable(t));
  }

  @Override
  public void onCompleted() {
    done.complete(Status.OK);
  }

  /** A slow client starts reading everything. */
  void readAll() {
    call.request(Integer.MAX_VALUE);
  }

  /** The stream's final status, waiting up to {@code seconds} for it. */
  Status await(int seconds) throws Exception {
    return done.get(seconds, TimeUnit.SECONDS);
  }

  List<JobEvent> received() {
    synchronized (events) {
      return new ArrayList<>(events);
    }
  }

  String lastCursor() {
    List<JobEvent> got = received();
    return got.isEmpty() ? "" : got.get(got.size() - 1).getCursor();
  }
}
