package dev.polyrun.coordinator;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the coordinator listens, whom it accepts and what. Immutable; build with {@link
 * #builder()}, whose defaults are documented on each setter.
 */
public final class CoordinatorOptions {
  /** Default of {@link Builder#maxConcurrentStreams}. */
  public static final int DEFAULT_MAX_CONCURRENT_STREAMS = 4096;

  /** Largest value {@link Builder#maxConcurrentStreams} takes. */
  public static final int MAX_CONCURRENT_STREAMS_LIMIT = 1_000_000;

  private final String host;
  private final int grpcPort;
  private final int httpPort;
  private final ServerLimits limits;
  private final AuthMode auth;
  private final Tenants tenants;
  private final AdmissionOptions admission;
  private final Duration idempotencyTtl;
  private final boolean queueUnserved;
  private final Duration jobRetention;
  private final Optional<TlsOptions> tls;
  private final StreamOptions streams;
  private final java.util.List<Tenant> quotaTenants;
  private final int maxConcurrentStreams;

  private CoordinatorOptions(Builder b) {
    this.host = b.host;
    this.grpcPort = b.grpcPort;
    this.httpPort = b.httpPort;
    this.limits = b.limits;
    this.auth = b.auth;
    this.tenants = b.tenants;
    this.admission = b.admission;
    this.idempotencyTtl = b.idempotencyTtl;
    this.queueUnserved = b.queueUnserved;
    this.jobRetention = b.jobRetention;
    this.tls = b.tls;
    this.streams = b.streams;
    this.quotaTenants = b.tenants.all().stream().filter(t -> t.maxActiveJobs() > 0).toList();
    this.maxConcurrentStreams = b.maxConcurrentStreams;
  }

  /** A builder with the documented defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Address both servers bind to. */
  public String host() {
    return host;
  }

  /** The gRPC port; 0 picks a free one. */
  public int grpcPort() {
    return grpcPort;
  }

  /** The port of /healthz, /readyz and /metrics; 0 picks a free one. */
  public int httpPort() {
    return httpPort;
  }

  /** The largest limits and request parts accepted. */
  public ServerLimits limits() {
    return limits;
  }

  /** How callers are told apart. */
  public AuthMode auth() {
    return auth;
  }

  /** The tenants and their API key digests (used with {@link AuthMode#KEYS}). */
  public Tenants tenants() {
    return tenants;
  }

  /** Admission control thresholds and retry delays. */
  public AdmissionOptions admission() {
    return admission;
  }

  /** How long an idempotency key keeps returning its job. */
  public Duration idempotencyTtl() {
    return idempotencyTtl;
  }

  /**
   * Whether a job of a known language that no live worker runs is queued (to wait for one; its age
   * shows in the per-language queue figures and alerts) instead of refused with FAILED_PRECONDITION
   * naming the language. Default false: refused.
   */
  public boolean queueUnserved() {
    return queueUnserved;
  }

  /** How long job records stay readable, as named in NOT_FOUND messages. */
  public Duration jobRetention() {
    return jobRetention;
  }

  /** TLS on the gRPC port, when configured. */
  public Optional<TlsOptions> tls() {
    return tls;
  }

  /** How event streams are served. */
  public StreamOptions streams() {
    return streams;
  }

  /** The tenants with a quota of active jobs, whose counts the coordinator reconciles. */
  public java.util.List<Tenant> quotaTenants() {
    return quotaTenants;
  }

  /**
   * Calls open at once on one client connection (HTTP/2 SETTINGS_MAX_CONCURRENT_STREAMS of the gRPC
   * port); a call beyond it waits in the client until another ends.
   */
  public int maxConcurrentStreams() {
    return maxConcurrentStreams;
  }

  /** Builder with the documented defaults; every setter validates its value. */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int grpcPort = 50051;
    private int httpPort = 8080;
    private ServerLimits limits = ServerLimits.defaults();
    private AuthMode auth = AuthMode.KEYS;
    private Tenants tenants = Tenants.of(List.of());
    private AdmissionOptions admission = AdmissionOptions.defaults();
    private Duration idempotencyTtl = Duration.ofHours(1);
    private boolean queueUnserved;
    private Duration jobRetention = Duration.ofHours(1);
    private Optional<TlsOptions> tls = Optional.empty();
    private StreamOptions streams = StreamOptions.defaults();
    private int maxConcurrentStreams = DEFAULT_MAX_CONCURRENT_STREAMS;

    private Builder() {}

    /** Address both servers bind to; default 127.0.0.1 (nothing listens beyond loopback). */
    public Builder host(String host) {
      this.host = Objects.requireNonNull(host, "host");
      return this;
    }

    /** gRPC port; default 50051, 0 picks a free one. */
    public Builder grpcPort(int port) {
      this.grpcPort = port("grpc port", port);
      return this;
    }

    /** Port of /healthz, /readyz and /metrics; default 8080, 0 picks a free one. */
    public Builder httpPort(int port) {
      this.httpPort = port("http port", port);
      return this;
    }

    /** The largest limits and request parts accepted; default {@link ServerLimits#defaults()}. */
    public Builder limits(ServerLimits limits) {
      this.limits = Objects.requireNonNull(limits, "limits");
      return this;
    }

    /**
     * How callers are told apart; default {@link AuthMode#KEYS}, with the tenants of {@link
     * #tenants}.
     */
    public Builder auth(AuthMode auth) {
      this.auth = Objects.requireNonNull(auth, "auth");
      return this;
    }

    /** The tenants and their API keys; default none (every keyed call is then UNAUTHENTICATED). */
    public Builder tenants(Tenants tenants) {
      this.tenants = Objects.requireNonNull(tenants, "tenants");
      return this;
    }

    /** Admission control; default {@link AdmissionOptions#defaults()}. */
    public Builder admission(AdmissionOptions admission) {
      this.admission = Objects.requireNonNull(admission, "admission");
      return this;
    }

    /** See {@link CoordinatorOptions#queueUnserved()}; default false (refused). */
    public Builder queueUnserved(boolean queue) {
      this.queueUnserved = queue;
      return this;
    }

    /** How long an idempotency key keeps returning its job; default 1 hour, at least 1 s. */
    public Builder idempotencyTtl(Duration ttl) {
      this.idempotencyTtl = atLeastASecond("idempotency ttl", ttl);
      return this;
    }

    /**
     * How long job records stay readable (the queue's job TTL), named in NOT_FOUND messages;
     * default 1 hour.
     */
    public Builder jobRetention(Duration retention) {
      this.jobRetention = atLeastASecond("job retention", retention);
      return this;
    }

    /** TLS on the gRPC port; default none (plaintext). */
    public Builder tls(TlsOptions tls) {
      this.tls = Optional.ofNullable(tls);
      return this;
    }

    /** How event streams are served; default {@link StreamOptions#defaults()}. */
    public Builder streams(StreamOptions streams) {
      this.streams = Objects.requireNonNull(streams, "streams");
      return this;
    }

    /**
     * Calls open at once on one client connection (HTTP/2 SETTINGS_MAX_CONCURRENT_STREAMS); default
     * {@value #DEFAULT_MAX_CONCURRENT_STREAMS}, 1..{@value #MAX_CONCURRENT_STREAMS_LIMIT}. Each
     * open stream of events is one call: a client that watches many jobs over one channel needs
     * more than the HTTP/2 library's default of 100, or its next call (even a unary one) waits
     * behind them until its deadline.
     */
    public Builder maxConcurrentStreams(int streams) {
      if (streams < 1 || streams > MAX_CONCURRENT_STREAMS_LIMIT) {
        throw new IllegalArgumentException(
            "max concurrent streams: "
                + streams
                + " (expected: 1.."
                + MAX_CONCURRENT_STREAMS_LIMIT
                + ")");
      }
      this.maxConcurrentStreams = streams;
      return this;
    }

    public CoordinatorOptions build() {
      return new CoordinatorOptions(this);
    }

    private static int port(String name, int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException(name + ": " + port + " (expected: 0..65535)");
      }
      return port;
    }

    private static Duration atLeastASecond(String name, Duration d) {
      Objects.requireNonNull(d, name);
      if (d.toMillis() < 1000) {
        throw new IllegalArgumentException(name + ": " + d + " (expected: >= 1s)");
      }
      return d;
    }
  }
}
