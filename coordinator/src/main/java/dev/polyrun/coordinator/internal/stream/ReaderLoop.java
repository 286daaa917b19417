package dev.polyrun.coordinator.internal.stream;

import dev.polyrun.proto.v1.JobEvent;
import dev.polyrun.queue.EventReader;
import dev.polyrun.queue.QueueUnavailableException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One shared reader: a thread and a Redis connection of its own that read the events of every feed
 * assigned to it in one blocking XREAD, and hand each feed what was read. A feed added while the
 * read blocks wakes it ({@link #wake}), so a new stream's first events are not held up.
 */
final class ReaderLoop implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(ReaderLoop.class);

  /** Longest wait of one read; a wake-up ends it sooner. */
  static final Duration BLOCK = Duration.ofSeconds(2);

  /** Events read per job at once: no more than a stream buffers at least. */
  private static final int COUNT = dev.polyrun.coordinator.StreamOptions.MIN_BUFFERED_EVENTS;

  final Map<String, JobFeed> feeds = new ConcurrentHashMap<>();
  private final EventHub hub;
  private final EventReader reader;
  private final AtomicBoolean wakePending = new AtomicBoolean();
  private final Object idle = new Object();
  private volatile boolean closed;
  private long outageSince;

  ReaderLoop(EventHub hub, EventReader reader) {
    this.hub = hub;
    this.reader = reader;
  }

  @Override
  public void run() {
    long pause = 100;
    while (!closed) {
      wakePending.set(false);
      if (feeds.isEmpty()) {
        awaitFeeds();
        continue;
      }
      Map<String, String> cursors = new HashMap<>(feeds.size() * 2);
      for (JobFeed feed : feeds.values()) {
        cursors.put(feed.jobId, feed.cursor());
      }
      Map<String, List<JobEvent>> read;
      try {
        read = reader.read(cursors, BLOCK, COUNT);
        outageSince = 0;
        pause = 100;
      } catch (QueueUnavailableException e) {
        if (closed) {
          return;
        }
        outage(e);
        sleep(pause);
        pause = Math.min(pause * 2, 2000);
        continue;
      } catch (RuntimeException e) {
        if (closed) {
          return;
        }
        log.error("the shared event reader failed; its streams end and resume elsewhere", e);
        hub.failAll(feeds, StreamEnd.FAILED, e);
        sleep(1000);
        continue;
      }
      long now = System.nanoTime();
      read.forEach(
          (jobId, events) -> {
            JobFeed feed = feeds.get(jobId);
            if (feed != null) {
              feed.deliver(events, now);
            }
          });
    }
  }

  /** Redis is away: streams wait for it up to the outage a stream rides out, then end. */
  private void outage(QueueUnavailableException e) {
    long now = System.nanoTime();
    if (outageSince == 0) {
      outageSince = now;
      log.warn(
          "the shared event reader lost Redis ({}); its {} jobs' streams wait up to {} for it",
          e.getMessage(),
          feeds.size(),
          EventHub.REDIS_OUTAGE);
    } else if (now - outageSince > EventHub.REDIS_OUTAGE.toNanos()) {
      log.warn(
          "Redis stayed away for {}: ending {} jobs' streams (clients resume after their last cursor)",
          EventHub.REDIS_OUTAGE,
          feeds.size());
      hub.failAll(feeds, StreamEnd.UNAVAILABLE, e);
      outageSince = now;
    }
  }

  private void awaitFeeds() {
    synchronized (idle) {
      while (feeds.isEmpty() && !closed && !wakePending.get()) {
        try {
          idle.wait(1000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          closed = true;
        }
      }
    }
  }

  /** A feed was added: the read in progress (if any) ends so that the next one includes it. */
  void wake() {
    if (wakePending.compareAndSet(false, true)) {
      synchronized (idle) {
        idle.notifyAll();
      }
      hub.executor()
          .execute(
              () -> {
                try {
                  reader.wakeUp();
                } catch (RuntimeException e) {
                  // Redis is away: the read fails anyway and the next one includes the feed
                }
              });
    }
  }

  private void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closed = true;
    }
  }

  /** Stops the loop and closes its connection. */
  void close() {
    closed = true;
    synchronized (idle) {
      idle.notifyAll();
    }
    reader.close();
  }
}
