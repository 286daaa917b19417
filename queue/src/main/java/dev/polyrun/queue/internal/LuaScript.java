package dev.polyrun.queue.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisNoScriptException;

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
