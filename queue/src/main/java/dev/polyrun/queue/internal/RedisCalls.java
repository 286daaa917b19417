package dev.polyrun.queue.internal;

import dev.polyrun.queue.QueueBusyException;
import dev.polyrun.queue.QueueUnavailableException;
import java.util.List;
import java.util.function.Supplier;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Runs a Redis command and turns every failure a retry can cure into
 * {@link QueueUnavailableException}: a lost or refused connection, a cluster whose retries ran
 * out, and the replies of a Redis that is loading its data, read-only after a failover, or busy
 * with a script. A pool with no free
 * connection is {@link QueueBusyException}: this process is busy, Redis is not down.
 */
public final class RedisCalls {
  private static final List<String> TRANSIENT =
      List.of("LOADING", "READONLY", "MASTERDOWN", "BUSY", "TRYAGAIN", "CLUSTERDOWN");

  private RedisCalls() {}

  public static <T> T call(Supplier<T> command) {
    try {
      return command.get();
    } catch (JedisConnectionException e) {
      throw new QueueUnavailableException("redis unavailable: " + e.getMessage(), e);
    } catch (redis.clients.jedis.exceptions.JedisClusterOperationException e) {
      // a cluster client that used up its retries (a slot's master down, no replica promoted yet)
      throw new QueueUnavailableException("redis cluster unavailable: " + e.getMessage()
          + (e.getCause() == null ? "" : " (" + e.getCause().getMessage() + ")"), e);
    } catch (JedisDataException e) {
      String message = String.valueOf(e.getMessage());
      if (TRANSIENT.stream().anyMatch(message::startsWith)) {
        throw new QueueUnavailableException("redis unavailable: " + message, e);
      }
      throw e;
    } catch (JedisException e) {
      if (e.getCause() instanceof java.util.NoSuchElementException) {
        throw new QueueBusyException("no free Redis connection in this process's pool (all in use for the whole"
            + " pool wait); Redis itself may be fine", e);
      }
      throw e;
    }
  }
}
