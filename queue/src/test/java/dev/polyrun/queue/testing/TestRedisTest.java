package dev.polyrun.queue.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

class TestRedisTest {
  @Test
  void aPortAnotherProcessHoldsIsReportedTakenRatherThanTakenForTheServer() throws Exception {
    try (ServerSocket other = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      assertThatThrownBy(() -> TestRedis.startLocal(other.getLocalPort()))
          .isInstanceOf(UncheckedIOException.class)
          .hasStackTraceContaining("was taken");
    }
  }

  @Test
  void aServerOnAFreePortAnswersAndTakesTheArgumentsForItsPort() {
    try (TestRedis redis =
        TestRedis.startLocalOnFreePort(port -> new String[] {"--maxclients", "1" + port % 10})) {
      try (Jedis jedis = new Jedis(redis.host(), redis.port())) {
        assertThat(jedis.ping()).isEqualTo("PONG");
        assertThat(jedis.configGet("maxclients")).containsValue("1" + redis.port() % 10);
      }
    }
  }
}
