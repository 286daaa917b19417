package dev.polyrun.coordinator;

import dev.polyrun.config.Quantities;
import dev.polyrun.config.Settings;
import dev.polyrun.config.StageLimits;
import dev.polyrun.queue.Durability;
import dev.polyrun.queue.QueueSettings;
import dev.polyrun.queue.RedisSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads {@link CoordinatorOptions} from {@link Settings} (environment {@code POLYRUN_*} or a
 * properties file). Every key, its default and its form are listed in the coordinator's README; a
 * bad value fails the start with a message naming the key, the value and the expected form.
 */
public final class CoordinatorSettings {
  /**
   * The coordinator's default Redis pool. Open streams hold no pooled connection (the event readers
   * have their own), and a call holds one for a single round trip at a time.
   */
  public static final int REDIS_CONNECTIONS = 12;

  private final Settings settings;

  private CoordinatorSettings(Settings settings) {
    this.settings = settings;
  }

  /**
   * The options the settings describe.
   *
   * @throws IllegalArgumentException naming a bad setting
   * @throws UncheckedIOException when the tenants file cannot be read
   */
  public static CoordinatorOptions read(Settings settings) {
    return new CoordinatorSettings(settings).options();
  }

  /** {@code coordinator.unserved-languages}: {@code refuse} (default) or {@code queue}. */
  private boolean unserved() {
    String value = settings.get("coordinator.unserved-languages", "refuse");
    return switch (value) {
      case "refuse" -> false;
      case "queue" -> true;
      default ->
          throw new IllegalArgumentException(
              "coordinator.unserved-languages: '" + value + "' (expected: refuse or queue)");
    };
  }

  private CoordinatorOptions options() {
    CoordinatorOptions.Builder b =
        CoordinatorOptions.builder()
            .host(settings.get("coordinator.host", "127.0.0.1"))
            .grpcPort(settings.getInt("coordinator.grpc-port", 50051, 0, 65535))
            .httpPort(settings.getInt("coordinator.http-port", 8080, 0, 65535))
            .limits(limits())
            .admission(admission())
            .idempotencyTtl(duration("coordinator.idempotency-ttl", Duration.ofHours(1)))
            .queueUnserved(unserved())
            .maxConcurrentStreams(
                (int)
                    integer(
                        "coordinator.max-concurrent-streams",
                        CoordinatorOptions.DEFAULT_MAX_CONCURRENT_STREAMS,
                        1,
                        CoordinatorOptions.MAX_CONCURRENT_STREAMS_LIMIT))
            .jobRetention(QueueSettings.queueOptions(settings).jobTtl())
            .streams(streams());
    AuthMode auth = auth();
    b.auth(auth);
    if (auth == AuthMode.KEYS) {
      b.tenants(tenants());
    }
    tls().ifPresent(b::tls);
    return b.build();
  }

  /**
   * What a Submit waits for before it answers ({@code coordinator.durability}: {@code memory},
   * {@code fsync} or {@code replica:N}; {@code coordinator.durability-timeout} bounds the wait for
   * replicas).
   *
   * @throws IllegalArgumentException naming a bad setting
   */
  public static Durability durability(Settings settings) {
    String raw = settings.get("coordinator.durability", "memory");
    Duration timeout =
        new CoordinatorSettings(settings)
            .duration("coordinator.durability-timeout", Durability.DEFAULT_TIMEOUT);
    try {
      return Durability.parse(raw, timeout);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("coordinator." + e.getMessage(), e);
    }
  }

  private AuthMode auth() {
    String mode = settings.get("coordinator.auth", "keys").strip().toLowerCase(Locale.ROOT);
    return switch (mode) {
      case "keys" -> AuthMode.KEYS;
      case "none" -> AuthMode.NONE;
      default ->
          throw new IllegalArgumentException(
              "coordinator.auth: '" + mode + "' (expected: keys or none)");
    };
  }

  private Tenants tenants() {
    String file = settings.get("coordinator.tenants-file", null);
    if (file == null || file.isBlank()) {
      throw new IllegalArgumentException(
          "coordinator.tenants-file: not set (expected: the JSON file of the tenants"
              + " and their API key digests; or coordinator.auth=none for local use without keys)");
    }
    try {
      return Tenants.load(Path.of(file));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "coordinator.tenants-file: cannot read '" + file + "': " + e.getMessage(), e);
    }
  }

  private ServerLimits limits() {
    StageLimits d = ServerLimits.DEFAULT_STAGE_MAXIMA;
    StageLimits stage =
        StageLimits.of(
            limit -> {
              String key = "coordinator.limits." + limit.key();
              String raw = settings.get(key, null);
              return raw == null ? d.get(limit) : limit.parse(key, raw);
            });
    ServerLimits s = ServerLimits.defaults();
    return new ServerLimits(
        stage,
        (int) integer("coordinator.limits.files", s.maxFiles(), 1, 100_000),
        size("coordinator.limits.source-size", s.maxSourceBytes()),
        size("coordinator.limits.stdin-size", s.maxStdinBytes()),
        (int) integer("coordinator.limits.args", s.maxArgs(), 0, 100_000),
        size("coordinator.limits.args-size", s.maxArgBytes()),
        (int) integer("coordinator.limits.test-cases", s.maxTestCases(), 0, 100_000),
        size("coordinator.limits.test-data-size", s.maxTestDataBytes()));
  }

  private AdmissionOptions admission() {
    AdmissionOptions d = AdmissionOptions.defaults();
    return new AdmissionOptions(
        integer("coordinator.admission.max-queue-depth", d.maxQueueDepth(), 0, Long.MAX_VALUE),
        duration("coordinator.admission.max-queue-age", d.maxQueueAge()),
        duration("coordinator.admission.retry-delay", d.retryDelay()),
        duration("coordinator.quota-retry-delay", d.quotaRetryDelay()));
  }

  private StreamOptions streams() {
    StreamOptions d = StreamOptions.defaults();
    return new StreamOptions(
        (int) integer("coordinator.streams.event-readers", d.eventReaders(), 1, 64),
        (int)
            integer(
                "coordinator.streams.buffered-events",
                d.bufferedEvents(),
                StreamOptions.MIN_BUFFERED_EVENTS,
                1_000_000),
        size("coordinator.streams.buffered-bytes", d.bufferedBytes()));
  }

  /**
   * The Redis settings, with the coordinator's default pool: {@value #REDIS_CONNECTIONS}
   * connections.
   */
  public static RedisSettings redis(Settings settings) {
    return QueueSettings.redis(settings, REDIS_CONNECTIONS);
  }

  private Optional<TlsOptions> tls() {
    String cert = settings.get("coordinator.tls.cert", null);
    String key = settings.get("coordinator.tls.key", null);
    String ca = settings.get("coordinator.tls.client-ca", null);
    if (cert == null && key == null) {
      if (ca != null) {
        throw new IllegalArgumentException(
            "coordinator.tls.client-ca: set without coordinator.tls.cert and .key");
      }
      return Optional.empty();
    }
    if (cert == null || key == null) {
      throw new IllegalArgumentException(
          "coordinator.tls.cert and coordinator.tls.key: only one is set (expected: both)");
    }
    String auth = settings.get("coordinator.tls.client-auth", ca == null ? "none" : "required");
    TlsOptions.ClientAuth clientAuth =
        switch (auth.strip().toLowerCase(Locale.ROOT)) {
          case "none" -> TlsOptions.ClientAuth.NONE;
          case "optional" -> TlsOptions.ClientAuth.OPTIONAL;
          case "required" -> TlsOptions.ClientAuth.REQUIRED;
          default ->
              throw new IllegalArgumentException(
                  "coordinator.tls.client-auth: '"
                      + auth
                      + "' (expected: none, optional or required)");
        };
    return Optional.of(
        new TlsOptions(
            Path.of(cert), Path.of(key), Optional.ofNullable(ca).map(Path::of), clientAuth));
  }

  private Duration duration(String key, Duration fallback) {
    String raw = settings.get(key, null);
    return raw == null ? fallback : Quantities.duration(key, raw);
  }

  private long size(String key, long fallback) {
    String raw = settings.get(key, null);
    return raw == null ? fallback : Quantities.size(key, raw);
  }

  private long integer(String key, long fallback, long min, long max) {
    String raw = settings.get(key, null);
    return raw == null ? fallback : Quantities.integer(key, raw, min, max);
  }
}
