package dev.polyrun.coordinator.internal.stream;

import dev.polyrun.coordinator.StreamOptions;
import dev.polyrun.coordinator.internal.CoordinatorMetrics;
import dev.polyrun.coordinator.internal.PoolExhaustion;
import dev.polyrun.coordinator.internal.Statuses;
import dev.polyrun.proto.v1.JobEvent;
import dev.polyrun.queue.JobHead;
import dev.polyrun.queue.JobQueue;
import dev.polyrun.queue.QueueBusyException;
import dev.polyrun.queue.QueueUnavailableException;
import io.grpc.Context;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;

/**
 * Every open stream of a coordinator, served by a fixed number of shared readers: a stream
 * subscribes in process to its job's feed, and each reader, on a Redis connection of its own, reads
 * all its feeds' streams in one blocking XREAD. Open streams hold no Redis connection; reads on a
 * stream's own behalf (a replay, a catch-up from an old cursor) borrow a pooled one for a single
 * non-blocking read at a time.
 */
public final class EventHub implements AutoCloseable {
  /** How long streams wait for an unreachable Redis before they end with UNAVAILABLE. */
  static final Duration REDIS_OUTAGE = Duration.ofSeconds(30);

  /** The longest a feed without events goes between checks for a record that expired. */
  private static final Duration IDLE_CHECK = Duration.ofSeconds(30);

  private final JobQueue queue;
  private final StreamOptions options;
  private final ExecutorService executor;
  private final CoordinatorMetrics metrics;
  private final PoolExhaustion exhaustion;
  private final List<ReaderLoop> readers = new ArrayList<>();
  private final Set<EventStream> open = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  private EventHub(
      JobQueue queue,
      StreamOptions options,
      ExecutorService executor,
      CoordinatorMetrics metrics,
      PoolExhaustion exhaustion) {
    this.queue = queue;
    this.options = options;
    this.executor = executor;
    this.metrics = metrics;
    this.exhaustion = exhaustion;
  }

  /** Opens the readers' connections (lazily, on their first read) and starts their threads. */
  public static EventHub start(
      JobQueue queue,
      StreamOptions options,
      ExecutorService executor,
      CoordinatorMetrics metrics,
      PoolExhaustion exhaustion) {
    EventHub hub = new EventHub(queue, options, executor, metrics, exhaustion);
    for (int i = 0; i < options.eventReaders(); i++) {
      ReaderLoop reader = new ReaderLoop(hub, queue.openEventReader(ReaderLoop.BLOCK));
      hub.readers.add(reader);
      Thread.ofPlatform().daemon().name("polyrun-event-reader-" + i).start(reader);
    }
    Thread.ofVirtual().name("polyrun-event-janitor").start(hub::janitor);
    return hub;
  }

  /**
   * A stream for the call of {@code observer}. Call it on the call's own thread before the service
   * method returns (gRPC takes the call's handlers only then), then {@link EventStream#start} it.
   *
   * @param onEnd told once why the stream ended
   */
  public EventStream prepare(
      StreamObserver<JobEvent> observer, Context context, Consumer<StreamEnd> onEnd) {
    ServerCallStreamObserver<JobEvent> call = (ServerCallStreamObserver<JobEvent>) observer;
    EventStream stream = new EventStream(this, call, onEnd);
    call.setOnCancelHandler(() -> stream.end(StreamEnd.CANCELLED, null));
    call.setOnReadyHandler(stream::schedule);
    // the deadline ends the call even when the client does not cancel it
    context.addListener(c -> stream.end(StreamEnd.CANCELLED, null), Runnable::run);
    return stream;
  }

  void opened(EventStream stream) {
    open.add(stream);
    if (closed) {
      stream.end(StreamEnd.CLOSED, shuttingDown());
    }
  }

  void closed(EventStream stream, StreamEnd why) {
    if (open.remove(stream)) {
      metrics.streamEnded(why.label());
    }
    JobFeed feed = stream.feed();
    if (feed != null && feed.detach(stream)) {
      readerOf(feed.jobId).feeds.remove(feed.jobId, feed);
    }
  }

  /**
   * Subscribes {@code stream}, which has read its job's events up to {@code position}, to its job's
   * feed.
   */
  void follow(EventStream stream, String position) {
    String jobId = stream.jobId();
    ReaderLoop reader = readerOf(jobId);
    while (true) {
      boolean[] created = {false};
      JobFeed feed =
          reader.feeds.computeIfAbsent(
              jobId,
              id -> {
                created[0] = true;
                return new JobFeed(id, position, System.nanoTime());
              });
      if (feed.attach(stream, position)) {
        if (created[0]) {
          reader.wake();
        }
        return;
      }
      reader.feeds.remove(jobId, feed); // removed by its last stream meanwhile: take a new one
    }
  }

  private ReaderLoop readerOf(String jobId) {
    return readers.get(Math.floorMod(jobId.hashCode(), readers.size()));
  }

  /**
   * One non-blocking read of up to {@code max} events after {@code after}, on a pooled connection,
   * riding out a Redis outage of up to {@link #REDIS_OUTAGE}. Returns null, having ended the
   * stream, when Redis stays away; null also when the stream ends meanwhile.
   */
  List<JobEvent> read(String jobId, String after, int max, EventStream stream) {
    long deadline = System.nanoTime() + REDIS_OUTAGE.toNanos();
    long pause = 50;
    while (!stream.ending()) {
      try {
        return queue.readEvents(jobId, after, Duration.ZERO, max);
      } catch (QueueUnavailableException e) {
        if (e instanceof QueueBusyException) {
          exhaustion.report("stream catch-up");
        }
        if (closed || System.nanoTime() > deadline) {
          stream.end(StreamEnd.UNAVAILABLE, resume(e, stream));
          return null;
        }
      }
      try {
        Thread.sleep(pause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        stream.end(StreamEnd.CLOSED, shuttingDown());
        return null;
      }
      pause = Math.min(pause * 2, 2000);
    }
    return null;
  }

  /** Ends every stream of {@code feeds} (a reader that cannot go on), and forgets the feeds. */
  void failAll(Map<String, JobFeed> feeds, StreamEnd why, RuntimeException cause) {
    for (JobFeed feed : new ArrayList<>(feeds.values())) {
      feeds.remove(feed.jobId, feed);
      for (EventStream s : feed.streams()) {
        s.end(why, why == StreamEnd.UNAVAILABLE ? resume(cause, s) : Statuses.toStatus(cause));
      }
    }
  }

  private static StatusRuntimeException resume(RuntimeException cause, EventStream s) {
    return Statuses.streamGaveUp(cause, s.jobId(), REDIS_OUTAGE);
  }

  private static StatusRuntimeException shuttingDown() {
    return Statuses.shuttingDown(
        "this coordinator is shutting down; resume with StreamEvents after the last cursor"
            + " read, on another coordinator");
  }

  /** Ends the streams of jobs whose records expired while they were followed. */
  private void janitor() {
    while (!closed) {
      try {
        Thread.sleep(1000);
        long now = System.nanoTime();
        for (ReaderLoop reader : readers) {
          for (JobFeed feed : reader.feeds.values()) {
            if (feed.dueForCheck(now, IDLE_CHECK.toNanos())) {
              check(feed);
            }
          }
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        // Redis is away: the readers report it; check again next round
      }
    }
  }

  private void check(JobFeed feed) {
    Optional<JobHead> head = queue.head(feed.jobId);
    if (head.isEmpty()) {
      for (EventStream s : feed.streams()) {
        s.end(
            StreamEnd.NOT_FOUND,
            Statuses.notFound("job " + feed.jobId + " expired while streaming"));
      }
    }
  }

  ExecutorService executor() {
    return executor;
  }

  int bufferedEvents() {
    return options.bufferedEvents();
  }

  long bufferedBytes() {
    return options.bufferedBytes();
  }

  /** Streams open now. */
  public int openStreams() {
    return open.size();
  }

  /** Jobs followed by the readers now. */
  public int followedJobs() {
    int n = 0;
    for (ReaderLoop reader : readers) {
      n += reader.feeds.size();
    }
    return n;
  }

  /** Redis connections the readers hold (one each, outside the pool). */
  public int readerConnections() {
    return readers.size();
  }

  /**
   * Stops the readers and ends every open stream with UNAVAILABLE (clients resume elsewhere).
   * Idempotent.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (ReaderLoop reader : readers) {
      reader.close();
    }
    for (EventStream s : new ArrayList<>(open)) {
      s.end(StreamEnd.CLOSED, shuttingDown());
    }
  }
}
