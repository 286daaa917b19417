package dev.polyrun.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.polyrun.queue.internal.RedisCalls;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;

class RedisCallsTest {
  @Test
  void aLostConnectionWhoseFailuresSuppressEachOtherIsUnavailable() {
    JedisConnectionException first = new JedisConnectionException("connection reset");
    JedisConnectionException second = new JedisConnectionException("broken pipe", first);
    first.addSuppressed(second); // a cycle, as Jedis's close-after-failure can make

    assertThatThrownBy(
            () ->
                RedisCalls.call(
                    () -> {
                      throw first;
                    }))
        .isInstanceOf(QueueUnavailableException.class)
        .hasMessageContaining("connection reset");
  }

  @Test
  void aFailedHandshakeSaysItIsTls() {
    assertThatThrownBy(
            () ->
                RedisCalls.call(
                    () -> {
                      throw new JedisConnectionException(
                          new SSLHandshakeException("PKIX path building failed"));
                    }))
        .isInstanceOf(QueueUnavailableException.class)
        .hasMessageContaining("TLS handshake failed")
        .hasMessageContaining("redis.tls-ca");
  }

  @Test
  void refusedCredentialsAreAnAccessFailureButADeniedCommandIsNot() {
    assertThatThrownBy(
            () ->
                RedisCalls.call(
                    () -> {
                      throw new JedisAccessControlException(
                          "WRONGPASS invalid username-password pair or user is disabled.");
                    }))
        .isInstanceOf(QueueAccessException.class)
        .hasMessageContaining("WRONGPASS");
    assertThatThrownBy(
            () ->
                RedisCalls.call(
                    () -> {
                      throw new JedisAccessControlException(
                          "NOPERM this user has no permissions to run the 'config|get' command");
                    }))
        .isInstanceOf(JedisAccessControlException.class);
  }

  @Test
  void aClientThatCannotStartNamesTheRefusedUserAndTheAddress() {
    JedisException failure = new JedisException("Could not initialize cluster slots cache.");
    failure.addSuppressed(
        new JedisAccessControlException("WRONGPASS invalid username-password pair"));

    RuntimeException named =
        RedisCalls.whileBuilding(
            failure,
            RedisSettings.parse("redis-cluster://polyrun:secret@n1:7000,n2:7001", null),
            "no seed node answered");

    assertThat(named)
        .isInstanceOf(QueueAccessException.class)
        .hasMessageContaining("cluster n1:7000,n2:7001")
        .hasMessageContaining("'polyrun'")
        .hasMessageNotContaining("secret");
  }
}
