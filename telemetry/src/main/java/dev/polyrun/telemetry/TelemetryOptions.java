package dev.polyrun.telemetry;

import dev.polyrun.config.Quantities;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * What a process tells about itself and where its telemetry goes. Immutable; build with {@link
 * #builder(String)} or read from settings with {@link #fromSettings}.
 *
 * <p>OTLP export is off unless an endpoint is configured here ({@code telemetry.otlp.endpoint}) or
 * by the standard {@code OTEL_EXPORTER_OTLP_ENDPOINT}; every other standard {@code OTEL_*} variable
 * (sampler, batch delays, headers, per-signal exporters) is honoured as the OpenTelemetry SDK
 * documents it, and wins over these options.
 */
public final class TelemetryOptions {
  /** How the Prometheus scrape is served. */
  public enum Prometheus {
    /** No Prometheus reader. */
    OFF,
    /** A reader the process serves on its own HTTP endpoint through {@link Telemetry#scrape()}. */
    IN_PROCESS,
    /** A small HTTP server of its own on {@link #prometheusHost()}:{@link #prometheusPort()}. */
    SERVER
  }

  private final String serviceName;
  private final String serviceVersion;
  private final String instanceId;
  private final String hostName;
  private final Map<String, Object> attributes;
  private final Prometheus prometheus;
  private final String prometheusHost;
  private final int prometheusPort;
  private final Optional<String> otlpEndpoint;
  private final String otlpProtocol;
  private final Duration exportInterval;
  private final double traceRatio;

  private TelemetryOptions(Builder b) {
    serviceName = b.serviceName;
    serviceVersion = b.serviceVersion;
    instanceId = b.instanceId;
    hostName = b.hostName;
    attributes = Map.copyOf(b.attributes);
    prometheus = b.prometheus;
    prometheusHost = b.prometheusHost;
    prometheusPort = b.prometheusPort;
    otlpEndpoint = b.otlpEndpoint;
    otlpProtocol = b.otlpProtocol;
    exportInterval = b.exportInterval;
    traceRatio = b.traceRatio;
  }

  /** A builder for the service {@code serviceName} (e.g. {@code polyrun-worker}). */
  public static Builder builder(String serviceName) {
    return new Builder(serviceName);
  }

  /**
   * Options from polyrun's settings ({@code lookup} returns a setting's value or null): {@code
   * telemetry.otlp.endpoint}, {@code telemetry.otlp.protocol} ({@code grpc} or {@code
   * http/protobuf}), {@code telemetry.export-interval} (a duration such as {@code 10s}), {@code
   * telemetry.trace-ratio} (0 to 1), {@code telemetry.prometheus.host} and {@code
   * telemetry.prometheus.port}. The Prometheus mode is the caller's: a port setting turns a {@link
   * Prometheus#SERVER} on.
   *
   * @throws IllegalArgumentException naming the bad setting, its value and the expected form
   */
  public static Builder fromSettings(String serviceName, UnaryOperator<String> lookup) {
    Builder b = builder(serviceName);
    String endpoint = lookup.apply("telemetry.otlp.endpoint");
    if (endpoint != null && !endpoint.isBlank()) {
      b.otlpEndpoint(endpoint.strip());
    }
    String protocol = lookup.apply("telemetry.otlp.protocol");
    if (protocol != null) {
      b.otlpProtocol(protocol.strip());
    }
    String interval = lookup.apply("telemetry.export-interval");
    if (interval != null) {
      b.exportInterval(Quantities.duration("telemetry.export-interval", interval));
    }
    String ratio = lookup.apply("telemetry.trace-ratio");
    if (ratio != null) {
      try {
        b.traceRatio(Double.parseDouble(ratio.strip()));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "telemetry.trace-ratio: '" + ratio + "' (expected: a number from 0 to 1)");
      }
    }
    String host = lookup.apply("telemetry.prometheus.host");
    if (host != null) {
      b.prometheusHost(host.strip());
    }
    return b;
  }

  /**
   * A builder holding these options: a process that learns some of its resource (a worker's
   * languages) only after its settings were read adds them here.
   */
  public Builder toBuilder() {
    Builder b = new Builder(serviceName);
    b.serviceVersion = serviceVersion;
    b.instanceId = instanceId;
    b.hostName = hostName;
    b.attributes.putAll(attributes);
    b.prometheus = prometheus;
    b.prometheusHost = prometheusHost;
    b.prometheusPort = prometheusPort;
    b.otlpEndpoint = otlpEndpoint;
    b.otlpProtocol = otlpProtocol;
    b.exportInterval = exportInterval;
    b.traceRatio = traceRatio;
    return b;
  }

  /** {@code service.name}, e.g. {@code polyrun-coordinator}. */
  public String serviceName() {
    return serviceName;
  }

  /** {@code service.version}: the build's version. */
  public String serviceVersion() {
    return serviceVersion;
  }

  /** {@code service.instance.id}: unique per process. */
  public String instanceId() {
    return instanceId;
  }

  /** {@code host.name}. */
  public String hostName() {
    return hostName;
  }

  /** Further resource attributes (e.g. a worker's languages and slots). */
  public Map<String, Object> attributes() {
    return attributes;
  }

  public Prometheus prometheus() {
    return prometheus;
  }

  /** Address of the Prometheus server of {@link Prometheus#SERVER}. */
  public String prometheusHost() {
    return prometheusHost;
  }

  /** Port of the Prometheus server of {@link Prometheus#SERVER}; 0 picks a free one. */
  public int prometheusPort() {
    return prometheusPort;
  }

  /** The OTLP endpoint, when set here. */
  public Optional<String> otlpEndpoint() {
    return otlpEndpoint;
  }

  /** {@code grpc} or {@code http/protobuf}. */
  public String otlpProtocol() {
    return otlpProtocol;
  }

  /** How often metrics are pushed by OTLP. */
  public Duration exportInterval() {
    return exportInterval;
  }

  /** Share of new traces recorded (a caller's sampled trace is always continued). */
  public double traceRatio() {
    return traceRatio;
  }

  /** Builder; every setter validates its value and documents its default. */
  public static final class Builder {
    private final String serviceName;
    private String serviceVersion = defaultVersion();
    private String instanceId = UUID.randomUUID().toString();
    private String hostName = defaultHostName();
    private final Map<String, Object> attributes = new LinkedHashMap<>();
    private Prometheus prometheus = Prometheus.IN_PROCESS;
    private String prometheusHost = "127.0.0.1";
    private int prometheusPort;
    private Optional<String> otlpEndpoint = Optional.empty();
    private String otlpProtocol = "grpc";
    private Duration exportInterval = Duration.ofSeconds(30);
    private double traceRatio = 1.0;

    private Builder(String serviceName) {
      if (serviceName == null || serviceName.isBlank()) {
        throw new IllegalArgumentException(
            "service name: '" + serviceName + "' (expected: a name such as polyrun-worker)");
      }
      this.serviceName = serviceName;
    }

    /** Default: the version in the jar's manifest, else {@code dev}. */
    public Builder serviceVersion(String version) {
      this.serviceVersion = Objects.requireNonNull(version, "service version");
      return this;
    }

    /** Default: a random UUID. A worker passes its worker id. */
    public Builder instanceId(String id) {
      this.instanceId = Objects.requireNonNull(id, "instance id");
      return this;
    }

    /** Default: the local host name. */
    public Builder hostName(String host) {
      this.hostName = Objects.requireNonNull(host, "host name");
      return this;
    }

    /** Adds a resource attribute: a String, Long, Integer, Boolean, Double or List of String. */
    public Builder attribute(String key, Object value) {
      attributes.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, key));
      return this;
    }

    /** Default {@link Prometheus#IN_PROCESS}. */
    public Builder prometheus(Prometheus mode) {
      this.prometheus = Objects.requireNonNull(mode, "prometheus");
      return this;
    }

    /** Serves Prometheus text on {@code host:port} (0 picks a free port). */
    public Builder prometheusServer(String host, int port) {
      prometheusHost(host);
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException(
            "telemetry.prometheus.port: " + port + " (expected: 0..65535)");
      }
      this.prometheusPort = port;
      this.prometheus = Prometheus.SERVER;
      return this;
    }

    /** Default 127.0.0.1: nothing listens beyond loopback unless asked. */
    public Builder prometheusHost(String host) {
      this.prometheusHost = Objects.requireNonNull(host, "prometheus host");
      return this;
    }

    /** Turns OTLP export of traces, metrics and logs on, to e.g. {@code http://127.0.0.1:4317}. */
    public Builder otlpEndpoint(String endpoint) {
      if (!endpoint.startsWith("http://") && !endpoint.startsWith("https://")) {
        throw new IllegalArgumentException(
            "telemetry.otlp.endpoint: '"
                + endpoint
                + "' (expected: a URL such as http://127.0.0.1:4317)");
      }
      this.otlpEndpoint = Optional.of(endpoint);
      return this;
    }

    /** Default {@code grpc}. */
    public Builder otlpProtocol(String protocol) {
      String p = protocol.toLowerCase(Locale.ROOT);
      if (!p.equals("grpc") && !p.equals("http/protobuf")) {
        throw new IllegalArgumentException(
            "telemetry.otlp.protocol: '" + protocol + "' (expected: grpc or http/protobuf)");
      }
      this.otlpProtocol = p;
      return this;
    }

    /** Default 30 s; at least 100 ms. */
    public Builder exportInterval(Duration interval) {
      if (interval.toMillis() < 100) {
        throw new IllegalArgumentException(
            "telemetry.export-interval: " + interval + " (expected: >= 100ms)");
      }
      this.exportInterval = interval;
      return this;
    }

    /** Default 1 (every new trace is recorded). */
    public Builder traceRatio(double ratio) {
      if (!(ratio >= 0 && ratio <= 1)) {
        throw new IllegalArgumentException(
            "telemetry.trace-ratio: " + ratio + " (expected: a number from 0 to 1)");
      }
      this.traceRatio = ratio;
      return this;
    }

    public TelemetryOptions build() {
      return new TelemetryOptions(this);
    }

    private static String defaultVersion() {
      String v = TelemetryOptions.class.getPackage().getImplementationVersion();
      return v == null ? "dev" : v;
    }

    private static String defaultHostName() {
      try {
        return InetAddress.getLocalHost().getHostName();
      } catch (UnknownHostException e) {
        return "unknown";
      }
    }
  }
}
