package dev.polyrun.queue.internal;

import dev.polyrun.queue.QueueAccessException;
import dev.polyrun.queue.QueueBusyException;
import dev.polyrun.queue.QueueUnavailableException;
import dev.polyrun.queue.RedisSettings;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Runs a Redis command and turns every failure a retry can cure into {@link
 * QueueUnavailableException}: a lost or refused connection, a cluster whose retries ran out, and
 * the replies of a Redis that is loading its data, read-only after a failover, or busy with a
 * script. A pool with no free connection is {@link QueueBusyException}: this process is busy, Redis
 * is not down. Refused credentials are {@link QueueAccessException}; a failed TLS handshake is
 * unavailable (a certificate may be replaced) and says so.
 */
public final class RedisCalls {
  private static final String TLS_FAILED =
      "the TLS handshake failed (is the server's certificate signed by an"
          + " authority in redis.tls-ca or the JVM's trust store, and does it name the address connected to?): ";
  private static final List<String> TRANSIENT =
      List.of("LOADING", "READONLY", "MASTERDOWN", "BUSY", "TRYAGAIN", "CLUSTERDOWN");

  private RedisCalls() {}

  public static <T> T call(Supplier<T> command) {
    try {
      return command.get();
    } catch (JedisConnectionException e) {
      SSLException tls = tlsCause(e);
      if (tls != null) {
        throw new QueueUnavailableException(
            "redis unavailable: " + TLS_FAILED + tls.getMessage(), e);
      }
      throw new QueueUnavailableException("redis unavailable: " + e.getMessage(), e);
    } catch (JedisAccessControlException e) {
      if (refusedCredentials(e)) {
        throw new QueueAccessException("redis refused the credentials: " + e.getMessage(), e);
      }
      throw e; // NOPERM: callers that can do without a command (CONFIG, CLIENT UNBLOCK) catch it
    } catch (redis.clients.jedis.exceptions.JedisClusterOperationException e) {
      // a cluster client that used up its retries (a slot's master down, no replica promoted yet)
      throw new QueueUnavailableException(
          "redis cluster unavailable: "
              + e.getMessage()
              + (e.getCause() == null ? "" : " (" + e.getCause().getMessage() + ")"),
          e);
    } catch (JedisDataException e) {
      String message = String.valueOf(e.getMessage());
      if (TRANSIENT.stream().anyMatch(message::startsWith)) {
        throw new QueueUnavailableException("redis unavailable: " + message, e);
      }
      throw e;
    } catch (JedisException e) {
      if (e.getCause() instanceof java.util.NoSuchElementException) {
        throw new QueueBusyException(
            "no free Redis connection in this process's pool (all in use for the whole"
                + " pool wait); Redis itself may be fine",
            e);
      }
      throw e;
    }
  }

  /**
   * {@code failure} restated with who connected where, for the first contact with Redis (where a
   * wrong password or certificate shows): the user and the address, never the password.
   */
  public static RuntimeException naming(RuntimeException failure, RedisSettings settings) {
    String who =
        "redis at "
            + settings.address()
            + (settings.tls() ? " (TLS)" : "")
            + " as user "
            + (settings.user() == null ? "default" : "'" + settings.user() + "'")
            + (settings.sentinelPassword() == null && settings.sentinelUser() == null
                ? ""
                : ", sentinels as user "
                    + (settings.sentinelUser() == null
                        ? "default"
                        : "'" + settings.sentinelUser() + "'"));
    if (failure instanceof QueueAccessException) {
      return new QueueAccessException(
          who
              + ": "
              + failure.getMessage()
              + " (check the address's user and redis.password against the server's ACL)",
          failure);
    }
    if (failure instanceof QueueBusyException) {
      return failure;
    }
    if (failure instanceof QueueUnavailableException) {
      return new QueueUnavailableException(who + ": " + failure.getMessage(), failure);
    }
    return failure;
  }

  /**
   * A failure of Jedis to find a Sentinel master or a cluster's slots as a client is built: the
   * refused credentials (in its causes or suppressed failures) when that was why, else an
   * unavailable Redis described by {@code what} and the first node's reason; named as {@link
   * #naming} does.
   */
  public static RuntimeException whileBuilding(
      JedisException failure, RedisSettings settings, String what) {
    Throwable refused = find(failure, RedisCalls::refusedCredentials);
    if (refused != null) {
      return naming(
          new QueueAccessException(
              "redis refused the credentials: " + refused.getMessage(), failure),
          settings);
    }
    Throwable reason =
        failure.getCause() != null
            ? failure.getCause()
            : failure.getSuppressed().length > 0 ? failure.getSuppressed()[0] : null;
    SSLException tls = tlsCause(failure);
    String detail =
        tls != null
            ? " (" + TLS_FAILED + tls.getMessage() + ")"
            : reason == null ? "" : " (" + reason.getMessage() + ")";
    return naming(
        new QueueUnavailableException(what + ": " + failure.getMessage() + detail, failure),
        settings);
  }

  /**
   * The first failure {@code wanted} among {@code e}, its causes and its suppressed failures, each
   * looked at once: Jedis's failures can suppress or cause one another in a cycle.
   */
  private static Throwable find(Throwable e, Predicate<Throwable> wanted) {
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    Deque<Throwable> pending = new ArrayDeque<>();
    if (e != null) {
      pending.add(e);
    }
    while (!pending.isEmpty() && seen.size() < 100) {
      Throwable t = pending.poll();
      if (!seen.add(t)) {
        continue;
      }
      if (wanted.test(t)) {
        return t;
      }
      if (t.getCause() != null) {
        pending.add(t.getCause());
      }
      pending.addAll(List.of(t.getSuppressed()));
    }
    return null;
  }

  private static SSLException tlsCause(Throwable e) {
    return (SSLException) find(e, SSLException.class::isInstance);
  }

  /** WRONGPASS (unknown user, wrong password, disabled user) or NOAUTH (a password is required). */
  private static boolean refusedCredentials(Throwable e) {
    String message = String.valueOf(e.getMessage());
    return e instanceof JedisAccessControlException
        && (message.startsWith("WRONGPASS") || message.startsWith("NOAUTH"));
  }
}
