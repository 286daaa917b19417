package dev.polyrun.queue;

import static dev.polyrun.queue.internal.Keys.bytes;

import dev.polyrun.proto.v1.JobEvent;
import dev.polyrun.queue.internal.EventCodec;
import dev.polyrun.queue.internal.Keys;
import dev.polyrun.queue.internal.RedisCalls;
import dev.polyrun.queue.internal.RedisClients;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.Response;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.XReadParams;
import redis.clients.jedis.resps.StreamEntryBinary;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * {@link EventReader}. On one Redis server: one blocking XREAD over every followed job's stream, on
 * a connection of its own, woken by {@code CLIENT UNBLOCK} sent on the queue's pool. Through
 * Sentinel or on a cluster (where a multi-key XREAD must stay in one slot, and the master may
 * change): one XREAD per slot of the followed streams, pipelined on the queue's pool, repeated
 * every {@value #POLL_MILLIS} ms until events come, the block time passes or a wake-up.
 */
final class RedisEventReader implements EventReader {
  private static final Logger log = LoggerFactory.getLogger(RedisEventReader.class);

  /** How often a wake-up is re-sent while the read it targets has not reached Redis yet. */
  private static final int WAKE_TRIES = 200;

  /** The readers' name in {@code CLIENT LIST}. */
  static final String NAME = "polyrun-events";

  /** How often a reader that cannot block (Sentinel, cluster) reads again while nothing came. */
  static final long POLL_MILLIS = 50;

  private final RedisSettings settings;
  private final Duration maxBlock;
  private final Keys keys;
  private final UnifiedJedis pool;
  private final Object lock = new Object();
  private volatile Jedis connection; // opened and used by the reading thread; closed by close()
  private long clientId = -1; // guarded by lock
  private long round; // guarded by lock
  private boolean reading; // guarded by lock
  private boolean wakeRequested; // guarded by lock
  private boolean closed; // guarded by lock
  private volatile boolean unblockRefused;

  RedisEventReader(RedisSettings settings, Duration maxBlock, Keys keys, UnifiedJedis pool) {
    this.settings = settings;
    this.maxBlock = maxBlock;
    this.keys = keys;
    this.pool = pool;
  }

  @Override
  public Map<String, List<JobEvent>> read(
      Map<String, String> cursors, Duration block, int maxPerJob) {
    if (block.compareTo(maxBlock) > 0) {
      throw new IllegalArgumentException("block " + block + " (expected: <= " + maxBlock + ")");
    }
    Map<String, List<JobEvent>> events = new HashMap<>();
    if (cursors.isEmpty()) {
      return events;
    }
    Map<byte[], StreamEntryID> streams = new LinkedHashMap<>();
    for (Map.Entry<String, String> c : cursors.entrySet()) {
      String cursor = c.getValue();
      streams.put(
          bytes(keys.events(c.getKey())),
          cursor.isEmpty() ? new StreamEntryID(0, 0) : new StreamEntryID(cursor));
    }
    if (settings.topology() != RedisSettings.Topology.STANDALONE) {
      return poll(streams, block, maxPerJob);
    }
    Jedis jedis = connection();
    boolean wait;
    synchronized (lock) {
      round++;
      reading = true;
      wait = !wakeRequested && !block.isZero();
      wakeRequested = false;
    }
    XReadParams params = XReadParams.xReadParams().count(maxPerJob);
    if (wait) {
      params.block((int) block.toMillis());
    }
    List<Map.Entry<byte[], List<StreamEntryBinary>>> read;
    try {
      read = RedisCalls.call(() -> jedis.xreadBinary(params, streams));
    } catch (QueueUnavailableException e) {
      disconnect();
      throw e;
    } finally {
      synchronized (lock) {
        reading = false;
      }
    }
    decodeInto(events, read);
    return events;
  }

  private static void decodeInto(
      Map<String, List<JobEvent>> events, List<Map.Entry<byte[], List<StreamEntryBinary>>> read) {
    if (read != null) {
      for (Map.Entry<byte[], List<StreamEntryBinary>> stream : read) {
        String jobId = Keys.jobOfKey(new String(stream.getKey(), StandardCharsets.UTF_8));
        List<JobEvent> list = new ArrayList<>(stream.getValue().size());
        for (StreamEntryBinary entry : stream.getValue()) {
          list.add(EventCodec.decode(jobId, entry));
        }
        events.put(jobId, list);
      }
    }
  }

  /**
   * Reads without blocking, one XREAD per slot in one pipeline, until events come or time is up.
   */
  private Map<String, List<JobEvent>> poll(
      Map<byte[], StreamEntryID> streams, Duration block, int maxPerJob) {
    Map<Integer, Map<byte[], StreamEntryID>> bySlot = new HashMap<>();
    streams.forEach(
        (key, id) ->
            bySlot
                .computeIfAbsent(JedisClusterCRC16.getSlot(key), s -> new LinkedHashMap<>())
                .put(key, id));
    long deadline = System.nanoTime() + block.toNanos();
    while (true) {
      Map<String, List<JobEvent>> events = new HashMap<>();
      RedisCalls.call(
          () -> {
            List<Response<List<Map.Entry<byte[], List<StreamEntryBinary>>>>> replies =
                new ArrayList<>();
            try (AbstractPipeline pipeline = pool.pipelined()) {
              for (Map<byte[], StreamEntryID> slot : bySlot.values()) {
                replies.add(pipeline.xreadBinary(XReadParams.xReadParams().count(maxPerJob), slot));
              }
              pipeline.sync();
            }
            replies.forEach(r -> decodeInto(events, r.get()));
            return null;
          });
      long left = deadline - System.nanoTime();
      if (!events.isEmpty() || left <= 0) {
        return events;
      }
      synchronized (lock) {
        if (!wakeRequested && !closed) {
          try {
            lock.wait(Math.max(1, Math.min(POLL_MILLIS, left / 1_000_000)));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return events;
          }
        }
        if (wakeRequested || closed) {
          wakeRequested = false;
          return events;
        }
      }
    }
  }

  private Jedis connection() {
    if (connection == null) {
      Jedis jedis = RedisCalls.call(() -> RedisClients.dedicated(settings, maxBlock, NAME));
      long id;
      try {
        id = RedisCalls.call(jedis::clientId);
      } catch (RuntimeException e) {
        jedis.close();
        throw e;
      }
      synchronized (lock) {
        if (closed) {
          jedis.close();
          throw new IllegalStateException("the event reader is closed");
        }
        clientId = id;
      }
      connection = jedis;
    }
    return connection;
  }

  private void disconnect() {
    synchronized (lock) {
      clientId = -1;
    }
    if (connection != null) {
      connection.close();
      connection = null;
    }
  }

  @Override
  public void wakeUp() {
    long id;
    long target;
    synchronized (lock) {
      if (closed) {
        return;
      }
      if (settings.topology() != RedisSettings.Topology.STANDALONE) {
        wakeRequested = true;
        lock.notifyAll();
        return;
      }
      if (!reading || clientId < 0 || unblockRefused) {
        wakeRequested = true;
        return;
      }
      id = clientId;
      target = round;
    }
    for (int i = 0; i < WAKE_TRIES; i++) {
      if (unblock(id)) {
        return;
      }
      synchronized (lock) {
        // not blocked yet (the read is on its way to Redis) or already over
        if (!reading || round != target) {
          return;
        }
      }
      try {
        Thread.sleep(1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private boolean unblock(long id) {
    try {
      Object n =
          RedisCalls.call(
              () -> pool.sendCommand(Protocol.Command.CLIENT, "UNBLOCK", Long.toString(id)));
      return Long.valueOf(1).equals(n);
    } catch (JedisDataException e) {
      // An ACL without CLIENT UNBLOCK: reads then see new jobs when their BLOCK time runs out.
      unblockRefused = true;
      log.warn(
          "CLIENT UNBLOCK refused ({}); new streams wait up to a read's block time for their first events",
          e.getMessage());
      return true;
    }
  }

  @Override
  public void close() {
    Jedis jedis;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      lock.notifyAll();
      jedis = connection;
    }
    if (jedis != null) {
      jedis.close();
    }
  }
}
