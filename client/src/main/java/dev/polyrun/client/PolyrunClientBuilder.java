package dev.polyrun.client;

import io.grpc.ClientInterceptor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Options of a {@link PolyrunClient}, from {@link PolyrunClient#builder(String)}. Every setter
 * validates its value and throws {@link IllegalArgumentException} naming it; defaults are listed on
 * each setter. A builder is not thread-safe; the client it builds is.
 */
public final class PolyrunClientBuilder {
  /** Default deadline of each unary call: 30 seconds. */
  public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(30);

  /** Default wait before the first resume of a lost event stream: 250 milliseconds. */
  public static final Duration DEFAULT_RESUME_BACKOFF = Duration.ofMillis(250);

  /** Default largest message the client accepts from the service: 16 MiB. */
  public static final int DEFAULT_MAX_INBOUND_MESSAGE_BYTES = 16 << 20;

  final String target;
  String apiKey;
  boolean tls;
  Path trustCertificates;
  Path clientCertificateChain;
  Path clientPrivateKey;
  Duration deadline = DEFAULT_DEADLINE;
  Duration streamDeadline;
  int maxResumes = 3;
  Duration resumeBackoff = DEFAULT_RESUME_BACKOFF;
  int maxInboundMessageBytes = DEFAULT_MAX_INBOUND_MESSAGE_BYTES;
  String userAgent = "polyrun-java-client";
  Duration closeTimeout = Duration.ofSeconds(5);
  final List<ClientInterceptor> interceptors = new ArrayList<>();

  PolyrunClientBuilder(String target) {
    Objects.requireNonNull(target, "target");
    if (target.isBlank()) {
      throw new IllegalArgumentException("target: '' (expected: host:port, e.g. localhost:50051)");
    }
    this.target = target.strip();
  }

  /**
   * API key sent as {@code authorization: Bearer <key>} metadata on every call; null (the default)
   * sends none. Without TLS the key travels in clear text: use TLS beyond a trusted network.
   */
  public PolyrunClientBuilder apiKey(String apiKey) {
    if (apiKey != null && (apiKey.isBlank() || !apiKey.chars().allMatch(c -> c > 32 && c < 127))) {
      // The value is a secret: say what is wrong without echoing it.
      throw new IllegalArgumentException(
          "apiKey: blank or not printable ASCII (expected: a token without spaces, or null)");
    }
    this.apiKey = apiKey;
    return this;
  }

  /**
   * Whether to use TLS, trusting the JVM's default authorities unless {@link #trustCertificates}
   * names others; default false (plaintext).
   */
  public PolyrunClientBuilder useTls(boolean tls) {
    this.tls = tls;
    return this;
  }

  /**
   * Trusts the certificate authorities of this PEM file (instead of the JVM's) for the service's
   * certificate; turns TLS on. Null (the default) trusts the JVM's authorities.
   */
  public PolyrunClientBuilder trustCertificates(Path caPem) {
    this.trustCertificates = caPem;
    this.tls |= caPem != null;
    return this;
  }

  /**
   * Presents this client certificate (PEM chain and its PEM PKCS#8 private key) to a service that
   * asks for one; turns TLS on. Both null (the default) presents none.
   */
  public PolyrunClientBuilder clientCertificate(Path certificateChainPem, Path privateKeyPem) {
    if ((certificateChainPem == null) != (privateKeyPem == null)) {
      throw new IllegalArgumentException(
          "clientCertificate: a certificate without its key, or a key without its"
              + " certificate (expected: both, or neither)");
    }
    this.clientCertificateChain = certificateChainPem;
    this.clientPrivateKey = privateKeyPem;
    this.tls |= certificateChainPem != null;
    return this;
  }

  /**
   * Deadline of each unary call (submit, getJob, cancel, languages), measured from the call's
   * start; default {@link #DEFAULT_DEADLINE}.
   */
  public PolyrunClientBuilder deadline(Duration deadline) {
    this.deadline = positive("deadline", deadline);
    return this;
  }

  /**
   * Deadline of each streaming call (execute, streamEvents), measured from the stream's (or a
   * resumed stream's) start; null, the default, means none: a stream lasts as long as its job.
   */
  public PolyrunClientBuilder streamDeadline(Duration streamDeadline) {
    this.streamDeadline =
        streamDeadline == null ? null : positive("streamDeadline", streamDeadline);
    return this;
  }

  /**
   * How many times in a row a lost event stream (UNAVAILABLE, or ended before the result) is
   * resumed after its last cursor before the call fails; default 3, 0 disables resuming. The count
   * restarts whenever a resumed stream delivers an event.
   */
  public PolyrunClientBuilder maxResumes(int maxResumes) {
    if (maxResumes < 0) {
      throw new IllegalArgumentException("maxResumes: " + maxResumes + " (expected: >= 0)");
    }
    this.maxResumes = maxResumes;
    return this;
  }

  /**
   * Wait before the first resume of a lost stream, doubled for each further one in a row; default
   * {@link #DEFAULT_RESUME_BACKOFF}.
   */
  public PolyrunClientBuilder resumeBackoff(Duration resumeBackoff) {
    this.resumeBackoff = positive("resumeBackoff", resumeBackoff);
    return this;
  }

  /**
   * Largest message, in bytes, the client accepts from the service (events and results carry
   * program output); default {@link #DEFAULT_MAX_INBOUND_MESSAGE_BYTES}.
   */
  public PolyrunClientBuilder maxInboundMessageBytes(int bytes) {
    if (bytes <= 0) {
      throw new IllegalArgumentException("maxInboundMessageBytes: " + bytes + " (expected: > 0)");
    }
    this.maxInboundMessageBytes = bytes;
    return this;
  }

  /** User agent sent with every call; default {@code polyrun-java-client}. */
  public PolyrunClientBuilder userAgent(String userAgent) {
    if (userAgent == null || userAgent.isBlank()) {
      throw new IllegalArgumentException("userAgent: '" + userAgent + "' (expected: non-blank)");
    }
    this.userAgent = userAgent;
    return this;
  }

  /**
   * How long {@link PolyrunClient#close()} lets calls in flight finish before it cancels them;
   * default 5 seconds.
   */
  public PolyrunClientBuilder closeTimeout(Duration closeTimeout) {
    this.closeTimeout = positive("closeTimeout", closeTimeout);
    return this;
  }

  /**
   * Adds an interceptor of every call, e.g. the telemetry module's {@code GrpcTelemetry.client} for
   * a span per call and W3C {@code traceparent} metadata that continue the caller's current trace;
   * default none.
   */
  public PolyrunClientBuilder interceptor(ClientInterceptor interceptor) {
    interceptors.add(Objects.requireNonNull(interceptor, "interceptor"));
    return this;
  }

  /** Creates the client. Connecting is lazy: an unreachable service fails the first call. */
  public PolyrunClient build() {
    return new PolyrunClient(this);
  }

  private static Duration positive(String name, Duration value) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
    }
    return value;
  }
}
