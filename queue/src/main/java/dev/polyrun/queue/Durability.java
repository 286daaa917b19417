package dev.polyrun.queue;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * How durable a submitted job is when Submit answers.
 *
 * <ul>
 *   <li>{@link Kind#MEMORY}: Redis applied the write. What it survives is what Redis's own
 *       persistence gives: with {@code appendfsync everysec} a crash of Redis may lose about the
 *       last second (up to two when the disk is slow), a failover to a replica loses what had not
 *       reached it.
 *   <li>{@link Kind#FSYNC}: Redis runs with {@code appendonly yes} and {@code appendfsync always},
 *       so it writes and fsyncs its append-only file before it replies: a crash of Redis or of its
 *       host loses nothing acknowledged. Redis 7.0 cannot be asked per write (no {@code WAITAOF}),
 *       so this is a promise about Redis's configuration, which the coordinator checks at start.
 *   <li>{@link Kind#REPLICAS}: after the submission's write, {@code WAIT n timeout} on the same
 *       connection; Submit fails with UNAVAILABLE when fewer than {@code n} replicas acknowledged
 *       in time (the job is stored nonetheless, and a retry with its idempotency key returns it).
 * </ul>
 *
 * @param kind what Submit waits for
 * @param replicas replicas that must hold the write ({@link Kind#REPLICAS} only, else 0)
 * @param timeout how long Submit waits for them ({@link Kind#REPLICAS} only, else zero)
 */
public record Durability(Kind kind, int replicas, Duration timeout) {
  /** What Submit waits for before it answers. */
  public enum Kind {
    MEMORY,
    FSYNC,
    REPLICAS
  }

  /** Default wait for replicas. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);

  public Durability {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(timeout, "timeout");
    if (kind == Kind.REPLICAS && (replicas < 1 || replicas > 100)) {
      throw new IllegalArgumentException("replicas: " + replicas + " (expected: 1..100)");
    }
    if (kind == Kind.REPLICAS && (timeout.toMillis() < 1 || timeout.toMillis() > 60_000)) {
      throw new IllegalArgumentException("replica timeout: " + timeout + " (expected: 1ms..60s)");
    }
  }

  /** The default: Submit answers once Redis applied the write. */
  public static Durability memory() {
    return new Durability(Kind.MEMORY, 0, Duration.ZERO);
  }

  /** Redis fsyncs every write before it replies ({@code appendfsync always}). */
  public static Durability fsync() {
    return new Durability(Kind.FSYNC, 0, Duration.ZERO);
  }

  /** Submit waits until {@code replicas} replicas hold the write, for at most {@code timeout}. */
  public static Durability replicas(int replicas, Duration timeout) {
    return new Durability(Kind.REPLICAS, replicas, timeout);
  }

  /**
   * Parses {@code memory}, {@code fsync} or {@code replica:N}.
   *
   * @param timeout the wait of {@code replica:N}
   * @throws IllegalArgumentException naming the value and the expected forms
   */
  public static Durability parse(String text, Duration timeout) {
    String t = text.strip().toLowerCase(Locale.ROOT);
    if (t.equals("memory")) {
      return memory();
    }
    if (t.equals("fsync")) {
      return fsync();
    }
    if (t.matches("replicas?:\\d{1,3}")) {
      return replicas(Integer.parseInt(t.substring(t.indexOf(':') + 1)), timeout);
    }
    throw new IllegalArgumentException(
        "durability: '" + text + "' (expected: memory, fsync, or replica:N with N from 1 to 100)");
  }

  @Override
  public String toString() {
    return switch (kind) {
      case MEMORY -> "memory";
      case FSYNC -> "fsync";
      case REPLICAS -> "replica:" + replicas + " (wait " + timeout.toMillis() + " ms)";
    };
  }
}
