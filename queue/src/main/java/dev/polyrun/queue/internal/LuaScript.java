package dev.polyrun.queue.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.Connection;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisNoScriptException;
import redis.clients.jedis.util.JedisClusterCRC16;

/** A Lua script from this module's resources, run by its SHA with a fallback to its text. */
public final class LuaScript {
  private final byte[] text;
  private final byte[] sha;

  private LuaScript(String text) {
    this.text = text.getBytes(StandardCharsets.UTF_8);
    this.sha = Keys.bytes(sha1Hex(text));
  }

  /** Loads {@code dev/polyrun/queue/lua/NAME.lua}. */
  public static LuaScript load(String name) {
    String path = "/dev/polyrun/queue/lua/" + name + ".lua";
    try (InputStream in = LuaScript.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + path);
      }
      return new LuaScript(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs the script; loads it into Redis first when Redis does not know it (after a restart). */
  public Object run(UnifiedJedis redis, List<byte[]> keys, List<byte[]> args) {
    try {
      return redis.evalsha(sha, keys, args);
    } catch (JedisNoScriptException e) {
      return redis.eval(text, keys, args);
    }
  }

  /** A script's reply and how many replicas acknowledged its writes. */
  public record Replicated(Object reply, long replicas) {}

  /**
   * Runs the script, then {@code WAIT}s on the same connection (WAIT counts only the writes of its
   * own connection) until {@code replicas} replicas acknowledged its writes or {@code
   * timeoutMillis} passed.
   */
  public Replicated runAndWait(
      UnifiedJedis redis, List<byte[]> keys, List<byte[]> args, int replicas, long timeoutMillis) {
    if (redis instanceof RedisClusterClient cluster) {
      return runAndWait(cluster, keys, args, replicas, timeoutMillis);
    }
    for (int tries = 0; ; tries++) {
      try (AbstractPipeline pipeline = redis.pipelined()) {
        Response<Object> reply = pipeline.evalsha(sha, keys, args);
        Response<Object> acked =
            pipeline.sendCommand(
                Protocol.Command.WAIT, Integer.toString(replicas), Long.toString(timeoutMillis));
        pipeline.sync();
        try {
          return new Replicated(reply.get(), (Long) acked.get());
        } catch (JedisDataException e) {
          if (tries > 0 || !String.valueOf(e.getMessage()).startsWith("NOSCRIPT")) {
            throw e;
          }
        }
      }
      // Redis restarted and forgot the script (the WAIT after it had nothing to wait for)
      redis.scriptLoad(text, keys.isEmpty() ? new byte[0] : keys.get(0));
    }
  }

  /** On a cluster: the script and WAIT on one connection to the master of the first key's slot. */
  private Replicated runAndWait(
      RedisClusterClient cluster,
      List<byte[]> keys,
      List<byte[]> args,
      int replicas,
      long timeoutMillis) {
    try (Connection connection =
        cluster.getConnectionFromSlot(JedisClusterCRC16.getSlot(keys.get(0)))) {
      Object reply;
      try {
        reply = connection.executeCommand(script(Protocol.Command.EVALSHA, sha, keys, args));
      } catch (JedisNoScriptException e) {
        reply = connection.executeCommand(script(Protocol.Command.EVAL, text, keys, args));
      }
      Object acked =
          connection.executeCommand(
              new CommandArguments(Protocol.Command.WAIT)
                  .add(Integer.toString(replicas))
                  .add(Long.toString(timeoutMillis)));
      return new Replicated(reply, (Long) acked);
    } catch (redis.clients.jedis.exceptions.JedisConnectionException
        | redis.clients.jedis.exceptions.JedisRedirectionException e) {
      // the slot's master moved (a failover): learn where it is now, for the caller's retry
      cluster.refreshClusterTopology();
      throw e;
    }
  }

  private static CommandArguments script(
      Protocol.Command command, byte[] body, List<byte[]> keys, List<byte[]> args) {
    CommandArguments c = new CommandArguments(command).add(body).add(Integer.toString(keys.size()));
    keys.forEach(c::key);
    args.forEach(c::add);
    return c;
  }

  private static String sha1Hex(String text) {
    try {
      byte[] digest =
          java.security.MessageDigest.getInstance("SHA-1")
              .digest(text.getBytes(StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(digest);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
