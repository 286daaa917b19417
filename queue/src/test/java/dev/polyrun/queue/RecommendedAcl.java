package dev.polyrun.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.polyrun.queue.testing.TestRedisSecurity;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.Callable;

/**
 * The ACL rule README.md recommends for polyrun's user, and the secrets of one test run: random
 * passwords, so that finding one in a message or a log can only mean it leaked there.
 */
final class RecommendedAcl {
  /** What follows {@code user polyrun on >PASSWORD } in README.md (Redis topologies). */
  static final String PERMISSIONS =
      "~polyrun:* resetchannels -@all +@hash +@list +@set +@sortedset +@stream"
          + " +@string +exists +pexpire +eval +evalsha +script|load +time +wait +info +ping +hello +client|id"
          + " +client|setname +client|unblock +cluster|slots";

  final String password = "pw-" + UUID.randomUUID();
  final String adminPassword = "admin-" + UUID.randomUUID();
  final String sentinelPassword = "sentinel-" + UUID.randomUUID();

  /** The {@code user} line's arguments for this run's password. */
  String rule() {
    return "polyrun on >" + password + " " + PERMISSIONS;
  }

  /** Locked down servers: the default user needs the admin password, polyrun is its own user. */
  TestRedisSecurity security(
      dev.polyrun.queue.testing.TestCertificates certs, boolean sentinelPassword) {
    return new TestRedisSecurity(
        certs, adminPassword, rule(), sentinelPassword ? this.sentinelPassword : null);
  }

  /** Asserts that none of this run's passwords is in {@code failure}'s messages and stack trace. */
  void assertNoSecretIn(Throwable failure) {
    StringWriter trace = new StringWriter();
    failure.printStackTrace(new PrintWriter(trace));
    assertNoSecretIn(trace.toString());
  }

  void assertNoSecretIn(String text) {
    assertThat(text)
        .doesNotContain(password)
        .doesNotContain(adminPassword)
        .doesNotContain(sentinelPassword)
        .doesNotContain("wrong-" + password);
  }

  /**
   * Runs {@code body} with what this process writes to stderr (where the test logger writes)
   * captured.
   */
  static <T> Captured<T> capturingStderr(Callable<T> body) {
    PrintStream original = System.err;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      T value;
      Throwable failure = null;
      try {
        value = body.call();
      } catch (Throwable t) {
        value = null;
        failure = t;
      }
      return new Captured<>(value, failure, bytes.toString(StandardCharsets.UTF_8));
    } finally {
      System.setErr(original);
    }
  }

  record Captured<T>(T value, Throwable failure, String stderr) {}
}
