package dev.polyrun.worker;

import dev.polyrun.config.Settings;
import dev.polyrun.queue.Durability;
import dev.polyrun.queue.QueueOptions;
import dev.polyrun.queue.RedisSettings;
import dev.polyrun.sandbox.PolicyOverride;
import dev.polyrun.sandbox.SandboxOptions;
import dev.polyrun.telemetry.TelemetryOptions;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Everything a worker is configured by: its identity and slots, its intervals, its sandbox, its
 * images and languages, its queue and its telemetry. Immutable; build with {@link #builder()},
 * whose setters document each default and validate their value, or read the daemon's settings with
 * {@link #fromSettings(Settings)}. {@link Worker#builder(WorkerSettings)} assembles a worker from
 * it.
 */
public final class WorkerSettings {
  /** Default of {@link Builder#slots}. */
  public static final int DEFAULT_SLOTS = 1;

  /** Largest value {@link Builder#slots} takes. */
  public static final int MAX_SLOTS = 256;

  /** Default of {@link Builder#pollInterval}. */
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(2);

  /** Default of {@link Builder#heartbeatInterval}. */
  public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(5);

  /** Default of {@link Builder#gracePeriod}. */
  public static final Duration DEFAULT_GRACE_PERIOD = Duration.ofSeconds(25);

  /** Default of {@link Builder#stateDir}. */
  public static final Path DEFAULT_STATE_DIR = Path.of("/var/lib/polyrun/worker");

  /** Default of {@link Builder#imageDir}. */
  public static final Path DEFAULT_IMAGE_DIR = Path.of("/var/lib/polyrun/images");

  /** The service name of a worker's telemetry. */
  public static final String SERVICE_NAME = "polyrun-worker";

  private static final Pattern WORKER_ID = Pattern.compile("[A-Za-z0-9_.:-]{1,100}");

  /** A language ({@code python}) or one version of it ({@code python@3.11}). */
  private static final Pattern LANGUAGE =
      Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.+-]{0,63}(@[A-Za-z0-9][A-Za-z0-9_.+-]{0,63})?");

  private final String workerId;
  private final int slots;
  private final Duration pollInterval;
  private final Duration heartbeatInterval;
  private final Duration gracePeriod;
  private final String runtime;
  private final Path stateDir;
  private final Path imageDir;
  private final List<String> languages;
  private final PolicyOverride sandboxPolicy;
  private final Durability durability;
  private final RedisSettings redis;
  private final QueueOptions queue;
  private final TelemetryOptions telemetry;

  private WorkerSettings(Builder b) {
    workerId = b.workerId;
    slots = b.slots;
    pollInterval = b.pollInterval;
    heartbeatInterval = b.heartbeatInterval;
    gracePeriod = b.gracePeriod;
    runtime = b.runtime;
    stateDir = b.stateDir;
    imageDir = b.imageDir;
    languages = b.languages;
    sandboxPolicy = b.sandboxPolicy;
    durability = b.durability;
    redis = b.redis;
    queue = b.queue;
    telemetry = b.telemetry;
  }

  /** A builder with the documented defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these settings, to change some of them. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * The settings of the worker daemon: the {@code worker.*} keys, {@code image.dir}, the queue's
   * ({@code redis.*}, {@code queue.*}) and the telemetry's ({@code telemetry.*}). The worker's
   * README lists every key.
   *
   * @throws IllegalArgumentException naming the bad setting, its value and the expected form
   * @throws java.io.UncheckedIOException when {@code worker.sandbox-policy} cannot be read
   */
  public static WorkerSettings fromSettings(Settings settings) {
    return WorkerSettingsReader.read(settings);
  }

  /** Consumer name in the worker group and the telemetry's instance id; unique per worker. */
  public String workerId() {
    return workerId;
  }

  /** Jobs run at once, each on a slot thread of its own. */
  public int slots() {
    return slots;
  }

  /** How long one read of the jobs streams waits for a job before it reads again. */
  public Duration pollInterval() {
    return pollInterval;
  }

  /**
   * How often the worker reports its heartbeat and languages; the heartbeat lives three times as
   * long.
   */
  public Duration heartbeatInterval() {
    return heartbeatInterval;
  }

  /** How long {@link Worker#close()} lets running jobs finish before it stops them. */
  public Duration gracePeriod() {
    return gracePeriod;
  }

  /** How often running jobs' leases are renewed: a third of the queue's lease. */
  public Duration renewEvery() {
    return queue.lease().dividedBy(3);
  }

  /** How stages are launched ({@link SandboxOptions#runtime()}). */
  public String runtime() {
    return runtime;
  }

  /** The sandbox's state directory: bundles, work directories, the runtime's state. */
  public Path stateDir() {
    return stateDir;
  }

  /** Where {@code images/build} put the language images. */
  public Path imageDir() {
    return imageDir;
  }

  /** The languages this worker takes jobs of; empty means every built image. */
  public List<String> languages() {
    return languages;
  }

  /** The operator's change to the sandbox policy. */
  public PolicyOverride sandboxPolicy() {
    return sandboxPolicy;
  }

  /** What a result survives before the worker acknowledges its delivery. */
  public Durability durability() {
    return durability;
  }

  /** Where Redis is. */
  public RedisSettings redis() {
    return redis;
  }

  /** The queue's options, with {@link #durability()} in them. */
  public QueueOptions queueOptions() {
    return queue.toBuilder().durability(durability).build();
  }

  /**
   * The telemetry's options; the worker adds its id, slots and languages to the resource when it
   * starts its telemetry.
   */
  public TelemetryOptions telemetry() {
    return telemetry;
  }

  /** The sandbox's options for these settings. */
  public SandboxOptions sandboxOptions() {
    return SandboxOptions.builder()
        .stateDirectory(stateDir)
        .runtime(runtime)
        .slots(slots)
        .operatorPolicy(sandboxPolicy)
        .build();
  }

  /** The default worker id: the host name and the process id, e.g. {@code worker-3-4711}. */
  public static String defaultWorkerId() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "worker";
    }
    String id = host.replaceAll("[^A-Za-z0-9_.:-]", "_") + "-" + ProcessHandle.current().pid();
    return id.length() <= 100 ? id : id.substring(id.length() - 100);
  }

  /** Builder with the documented defaults; every setter validates its value. */
  public static final class Builder {
    private String workerId;
    private int slots = DEFAULT_SLOTS;
    private Duration pollInterval = DEFAULT_POLL_INTERVAL;
    private Duration heartbeatInterval = DEFAULT_HEARTBEAT_INTERVAL;
    private Duration gracePeriod = DEFAULT_GRACE_PERIOD;
    private String runtime = SandboxOptions.LAUNCHER;
    private Path stateDir = DEFAULT_STATE_DIR;
    private Path imageDir = DEFAULT_IMAGE_DIR;
    private List<String> languages = List.of();
    private PolicyOverride sandboxPolicy = PolicyOverride.none();
    private Durability durability = Durability.memory();
    private RedisSettings redis = RedisSettings.of("127.0.0.1", 6379);
    private QueueOptions queue = QueueOptions.defaults();
    private TelemetryOptions telemetry =
        TelemetryOptions.builder(SERVICE_NAME).prometheus(TelemetryOptions.Prometheus.OFF).build();

    private Builder() {}

    private Builder(WorkerSettings s) {
      workerId = s.workerId;
      slots = s.slots;
      pollInterval = s.pollInterval;
      heartbeatInterval = s.heartbeatInterval;
      gracePeriod = s.gracePeriod;
      runtime = s.runtime;
      stateDir = s.stateDir;
      imageDir = s.imageDir;
      languages = s.languages;
      sandboxPolicy = s.sandboxPolicy;
      durability = s.durability;
      redis = s.redis;
      queue = s.queue;
      telemetry = s.telemetry;
    }

    /**
     * Consumer name in the worker group; default {@link #defaultWorkerId()}. 1 to 100 of {@code
     * [A-Za-z0-9_.:-]}.
     */
    public Builder workerId(String id) {
      if (id == null || !WORKER_ID.matcher(id).matches()) {
        throw new IllegalArgumentException(
            "worker.id: " + quoted(id) + " (expected: 1 to 100 of [A-Za-z0-9_.:-])");
      }
      this.workerId = id;
      return this;
    }

    /** Jobs run at once; default {@value #DEFAULT_SLOTS}, 1 to {@value #MAX_SLOTS}. */
    public Builder slots(int slots) {
      if (slots < 1 || slots > MAX_SLOTS) {
        throw new IllegalArgumentException(
            "worker.slots: " + slots + " (expected: 1 to " + MAX_SLOTS + ")");
      }
      this.slots = slots;
      return this;
    }

    /**
     * How long one read of the jobs streams waits; default 2 s, 10 ms to 30 s. Shorter makes a
     * closing worker stop taking jobs sooner, at the cost of more reads of an idle queue.
     */
    public Builder pollInterval(Duration interval) {
      this.pollInterval =
          within("worker.poll-interval", interval, Duration.ofMillis(10), Duration.ofSeconds(30));
      return this;
    }

    /** How often the heartbeat is reported; default 5 s, 100 ms to 1 min. */
    public Builder heartbeatInterval(Duration interval) {
      this.heartbeatInterval =
          within(
              "worker.heartbeat-interval", interval, Duration.ofMillis(100), Duration.ofMinutes(1));
      return this;
    }

    /** How long closing lets running jobs finish; default 25 s, 0 to 1 h. */
    public Builder gracePeriod(Duration period) {
      this.gracePeriod = within("worker.grace-period", period, Duration.ZERO, Duration.ofHours(1));
      return this;
    }

    /**
     * How stages are launched: {@value SandboxOptions#LAUNCHER} (default, polyrun's own launcher)
     * or an OCI runtime binary such as {@code runc}.
     */
    public Builder runtime(String runtime) {
      if (runtime == null || runtime.isBlank()) {
        throw new IllegalArgumentException(
            "worker.runtime: "
                + quoted(runtime)
                + " (expected: "
                + SandboxOptions.LAUNCHER
                + ", runc, or another OCI runtime)");
      }
      this.runtime = runtime.strip();
      return this;
    }

    /** The sandbox's state directory; default {@code /var/lib/polyrun/worker}. */
    public Builder stateDir(Path dir) {
      this.stateDir = Objects.requireNonNull(dir, "worker.state-dir").toAbsolutePath();
      return this;
    }

    /** Where the images are; default {@code /var/lib/polyrun/images}. */
    public Builder imageDir(Path dir) {
      this.imageDir = Objects.requireNonNull(dir, "image.dir").toAbsolutePath();
      return this;
    }

    /**
     * The languages ({@code python}: every version) or versions ({@code python@3.11}) this worker
     * takes jobs of (a part of a mixed fleet); default none, meaning every built image. Names
     * without an image are left out when the worker starts.
     */
    public Builder languages(List<String> names) {
      Objects.requireNonNull(names, "worker.languages");
      for (String name : names) {
        if (name == null || !LANGUAGE.matcher(name).matches()) {
          throw new IllegalArgumentException(
              "worker.languages: "
                  + quoted(name)
                  + " (expected: language names such as python or cpp, or versions such as python@3.11, separated by commas)");
        }
      }
      this.languages = names.stream().distinct().sorted().toList();
      return this;
    }

    /** The operator's change to the sandbox policy; default none. */
    public Builder sandboxPolicy(PolicyOverride policy) {
      Objects.requireNonNull(policy, "worker.sandbox-policy");
      if (policy.scope() != PolicyOverride.Scope.OPERATOR) {
        throw new IllegalArgumentException(
            "worker.sandbox-policy: "
                + policy.origin()
                + " has scope "
                + policy.scope()
                + " (expected: OPERATOR)");
      }
      this.sandboxPolicy = policy;
      return this;
    }

    /**
     * What a result survives before its delivery is acknowledged; default {@link
     * Durability#memory()}.
     */
    public Builder durability(Durability durability) {
      this.durability = Objects.requireNonNull(durability, "worker.durability");
      return this;
    }

    /** Where Redis is; default {@code redis://127.0.0.1:6379}. */
    public Builder redis(RedisSettings redis) {
      this.redis = Objects.requireNonNull(redis, "redis");
      return this;
    }

    /**
     * The queue's options (the same as the coordinators'); default {@link QueueOptions#defaults()}.
     * Their durability is replaced by {@link #durability}.
     */
    public Builder queue(QueueOptions options) {
      this.queue = Objects.requireNonNull(options, "queue");
      return this;
    }

    /** The telemetry's options; default no export and no Prometheus server. */
    public Builder telemetry(TelemetryOptions options) {
      this.telemetry = Objects.requireNonNull(options, "telemetry");
      return this;
    }

    public WorkerSettings build() {
      if (workerId == null) {
        workerId = defaultWorkerId();
      }
      return new WorkerSettings(this);
    }

    private static Duration within(String name, Duration value, Duration min, Duration max) {
      if (value == null || value.compareTo(min) < 0 || value.compareTo(max) > 0) {
        throw new IllegalArgumentException(
            name
                + ": "
                + (value == null ? "null" : text(value))
                + " (expected: "
                + text(min)
                + " to "
                + text(max)
                + ")");
      }
      return value;
    }

    /** A duration as the settings write it: {@code 10ms}, {@code 2s}, {@code 1m}, {@code 1h}. */
    private static String text(Duration d) {
      long ms = d.toMillis();
      if (ms != 0 && ms % 3_600_000 == 0) {
        return ms / 3_600_000 + "h";
      }
      if (ms != 0 && ms % 60_000 == 0) {
        return ms / 60_000 + "m";
      }
      return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }

    private static String quoted(String value) {
      return value == null ? "null" : "'" + value + "'";
    }
  }
}
