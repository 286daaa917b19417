package dev.polyrun.coordinator;

import dev.polyrun.coordinator.internal.CoordinatorMetrics;
import dev.polyrun.coordinator.internal.ExecutorServiceImpl;
import dev.polyrun.coordinator.internal.GrpcServers;
import dev.polyrun.coordinator.internal.GrpcServices;
import dev.polyrun.coordinator.internal.HttpEndpoints;
import dev.polyrun.coordinator.internal.PoolExhaustion;
import dev.polyrun.coordinator.internal.QuotaReconciler;
import dev.polyrun.coordinator.internal.TlsSetup;
import dev.polyrun.coordinator.internal.stream.EventHub;
import dev.polyrun.coordinator.internal.telemetry.TracedJobQueue;
import dev.polyrun.queue.AdmissionStore;
import dev.polyrun.queue.JobQueue;
import dev.polyrun.queue.QueueSnapshot;
import dev.polyrun.queue.RedisQueueStats;
import dev.polyrun.telemetry.GrpcTelemetry;
import dev.polyrun.telemetry.Telemetry;
import dev.polyrun.telemetry.TelemetryOptions;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.grpc.health.HealthService;
import io.vertx.grpc.server.GrpcServerOptions;
import io.vertx.grpcio.server.GrpcIoServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A running coordinator: the {@code polyrun.v1.ExecutorService} gRPC service with health and
 * reflection on one port, {@code /healthz}, {@code /readyz} and {@code /metrics} on another.
 * Stateless: any number of coordinators can serve the same Redis.
 *
 * <p>{@link #builder()} starts one on a caller's Vert.x, queue, admission store and telemetry, all
 * of which stay the caller's; the static {@code start} methods make a Vert.x of their own.
 */
public final class Coordinator implements AutoCloseable {
  /** Largest gRPC message accepted, bytes: sources plus stdin plus framing. */
  public static final int MAX_MESSAGE_BYTES = 20 << 20;

  private static final String SERVICE = "polyrun.v1.ExecutorService";

  /** Servers of the gRPC port, one per event loop: the transport's work spreads over every core. */
  private static final int EVENT_LOOPS = Math.max(1, Runtime.getRuntime().availableProcessors());

  private final Vertx vertx;
  private final boolean ownsVertx;
  private final ExecutorService blocking;
  private final CoordinatorMetrics metrics;
  private final String grpcDeployment;
  private final List<HttpServer> grpcServers;
  private final Telemetry ownTelemetry;
  private final HttpServer httpServer;
  private final List<Long> timers;
  private final ExecutorServiceImpl service;
  private final EventHub streams;
  private boolean closed;

  private Coordinator(
      Vertx vertx,
      boolean ownsVertx,
      ExecutorService blocking,
      CoordinatorMetrics metrics,
      Telemetry ownTelemetry,
      GrpcServers.Deployment grpc,
      HttpServer http,
      List<Long> timers,
      ExecutorServiceImpl service,
      EventHub streams) {
    this.vertx = vertx;
    this.ownsVertx = ownsVertx;
    this.blocking = blocking;
    this.metrics = metrics;
    this.ownTelemetry = ownTelemetry;
    this.grpcDeployment = grpc.id();
    this.grpcServers = grpc.servers();
    this.httpServer = http;
    this.timers = timers;
    this.service = service;
    this.streams = streams;
  }

  /**
   * A builder for a coordinator on a caller's Vert.x, queue, admission store and telemetry: what an
   * application embedding the coordinator, or a test, uses. Only the queue, the admission store and
   * the options are required.
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts both servers on a Vert.x of its own and returns once they listen. The queue and the
   * admission store stay owned by the caller. Besides the queue's pool, the coordinator opens
   * {@link StreamOptions#eventReaders()} Redis connections of its own, which read events for every
   * open stream. Same as {@code
   * builder().queue(queue).admission(admission).options(options).start()}.
   *
   * @param admission idempotency keys, tenant quotas and the queue's load (in the same Redis)
   * @throws IllegalStateException when a port cannot be bound or a TLS file cannot be used
   */
  public static Coordinator start(
      JobQueue queue, AdmissionStore admission, CoordinatorOptions options) {
    return builder().queue(queue).admission(admission).options(options).start();
  }

  /**
   * Starts both servers on a Vert.x of its own with this telemetry (its Prometheus reader is served
   * on {@code /metrics}) and returns once they listen. The queue, the admission store, the
   * telemetry and the stats reader stay owned by the caller.
   *
   * @param stats reads the queue's per-language figures for the metrics every few seconds; null
   *     reads the total depth only
   */
  public static Coordinator start(
      JobQueue queue,
      AdmissionStore admission,
      CoordinatorOptions options,
      Telemetry telemetry,
      RedisQueueStats stats) {
    return builder()
        .queue(queue)
        .admission(admission)
        .options(options)
        .telemetry(telemetry)
        .stats(stats)
        .start();
  }

  /** What {@link Coordinator#builder()} configures; each setter replaces the value it names. */
  public static final class Builder {
    private Vertx vertx;
    private JobQueue queue;
    private AdmissionStore admission;
    private CoordinatorOptions options;
    private Telemetry telemetry;
    private RedisQueueStats stats;

    private Builder() {}

    /**
     * The Vert.x to serve on; it stays the caller's: closing the coordinator undeploys its servers
     * and cancels its timers but leaves this Vert.x running. Without one the coordinator makes a
     * Vert.x of its own (one event loop per core) and closes it with itself.
     */
    public Builder vertx(Vertx vertx) {
      this.vertx = Objects.requireNonNull(vertx, "vertx");
      return this;
    }

    /** The job queue (required); it stays the caller's, to close after the coordinator. */
    public Builder queue(JobQueue queue) {
      this.queue = Objects.requireNonNull(queue, "queue");
      return this;
    }

    /**
     * Idempotency keys, tenant quotas and the queue's load, in the queue's Redis (required); it
     * stays the caller's.
     */
    public Builder admission(AdmissionStore admission) {
      this.admission = Objects.requireNonNull(admission, "admission");
      return this;
    }

    /** Ports, authentication, TLS, limits and admission (required). */
    public Builder options(CoordinatorOptions options) {
      this.options = Objects.requireNonNull(options, "options");
      return this;
    }

    /**
     * The telemetry whose Prometheus reader {@code /metrics} serves; it stays the caller's. Without
     * one the coordinator starts its own and closes it with itself.
     */
    public Builder telemetry(Telemetry telemetry) {
      this.telemetry = Objects.requireNonNull(telemetry, "telemetry");
      return this;
    }

    /**
     * Reads the queue's per-language figures for the metrics every few seconds; null (the default)
     * reads the total depth only. It stays the caller's.
     */
    public Builder stats(RedisQueueStats stats) {
      this.stats = stats;
      return this;
    }

    /**
     * Starts both servers and returns once they listen. Blocks: call it from a thread that is not
     * an event loop of the given Vert.x.
     *
     * @throws IllegalStateException when a port cannot be bound, a TLS file cannot be used, or this
     *     is called on an event loop
     * @throws NullPointerException naming the required part that was not given
     */
    public Coordinator start() {
      Objects.requireNonNull(queue, "queue (expected: builder().queue(...))");
      Objects.requireNonNull(admission, "admission (expected: builder().admission(...))");
      Objects.requireNonNull(options, "options (expected: builder().options(...))");
      if (Context.isOnEventLoopThread()) {
        throw new IllegalStateException(
            "Coordinator.start() on an event loop thread "
                + Thread.currentThread().getName()
                + " (expected: a worker, virtual or main thread; start blocks)");
      }
      Telemetry owned =
          telemetry == null
              ? Telemetry.start(TelemetryOptions.builder("polyrun-coordinator").build())
              : null;
      boolean ownsVertx = vertx == null;
      // it serves no files: without classpath resolving Vert.x makes no cache folder in /tmp, which
      // a coordinator killed with SIGKILL would leave behind
      Vertx v =
          ownsVertx
              ? Vertx.vertx(
                  new VertxOptions()
                      .setFileSystemOptions(
                          new FileSystemOptions().setClassPathResolvingEnabled(false)))
              : vertx;
      try {
        return Coordinator.start(
            v,
            ownsVertx,
            queue,
            admission,
            options,
            owned != null ? owned : telemetry,
            stats,
            owned);
      } catch (RuntimeException e) {
        if (ownsVertx) {
          v.close();
        }
        if (owned != null) {
          owned.close();
        }
        throw e;
      }
    }
  }

  private static Coordinator start(
      Vertx vertx,
      boolean ownsVertx,
      JobQueue plainQueue,
      AdmissionStore admission,
      CoordinatorOptions options,
      Telemetry telemetry,
      RedisQueueStats stats,
      Telemetry owned) {
    // each call's span stays current on the virtual thread that serves it
    ExecutorService blocking =
        io.opentelemetry.context.Context.taskWrapping(Executors.newVirtualThreadPerTaskExecutor());
    CoordinatorMetrics metrics = new CoordinatorMetrics(telemetry, options);
    JobQueue queue = new TracedJobQueue(plainQueue, telemetry.openTelemetry());
    EventHub streams = null;
    GrpcServers.Deployment grpc = null;
    HttpServer httpServer = null;
    List<Long> timers = new ArrayList<>();
    try {
      PoolExhaustion exhaustion = new PoolExhaustion(metrics, queue::connections);
      streams = EventHub.start(queue, options.streams(), blocking, metrics, exhaustion);
      metrics.watch(
          queue::connections,
          streams::readerConnections,
          streams::openStreams,
          streams::followedJobs);
      ExecutorServiceImpl service =
          new ExecutorServiceImpl(
              queue, admission, options, metrics, blocking, streams, exhaustion);
      io.grpc.ServerInterceptor traced = GrpcTelemetry.server(telemetry.openTelemetry());
      HttpServerOptions grpcOptions =
          new HttpServerOptions().setHost(options.host()).setPort(options.grpcPort());
      // the HTTP/2 default of 100 calls per connection would hold a client's next call behind its
      // open streams
      grpcOptions.getInitialSettings().setMaxConcurrentStreams(options.maxConcurrentStreams());
      options.tls().ifPresent(tls -> TlsSetup.apply(tls, grpcOptions));
      grpc =
          await(
              GrpcServers.start(
                  vertx,
                  EVENT_LOOPS,
                  grpcOptions,
                  () -> grpcHandler(vertx, queue, service, traced)),
              "gRPC port " + options.grpcPort());
      httpServer =
          await(
              vertx
                  .createHttpServer(
                      new HttpServerOptions().setHost(options.host()).setPort(options.httpPort()))
                  .requestHandler(new HttpEndpoints(queue, metrics, blocking))
                  .listen(),
              "HTTP port " + options.httpPort());
      timers.add(
          vertx.setPeriodic(0, 5000, id -> blocking.execute(() -> refresh(queue, stats, metrics))));
      QuotaReconciler reconciler = new QuotaReconciler(admission, options.quotaTenants());
      timers.add(
          vertx.setPeriodic(
              QuotaReconciler.PERIOD.toMillis(),
              QuotaReconciler.PERIOD.toMillis(),
              id -> blocking.execute(reconciler)));
      return new Coordinator(
          vertx, ownsVertx, blocking, metrics, owned, grpc, httpServer, timers, service, streams);
    } catch (RuntimeException e) {
      if (streams != null) {
        streams.close();
      }
      if (!ownsVertx) {
        release(vertx, grpc, httpServer, timers);
      }
      blocking.shutdownNow();
      metrics.close();
      throw e;
    }
  }

  /** Gives back what a coordinator took from a Vert.x it does not own, which stays running. */
  private static void release(
      Vertx vertx, GrpcServers.Deployment grpc, HttpServer http, List<Long> timers) {
    timers.forEach(vertx::cancelTimer);
    try {
      if (http != null) {
        await(http.close(), "close");
      }
      if (grpc != null) {
        await(vertx.undeploy(grpc.id()), "close");
      }
    } catch (IllegalStateException e) {
      // closing anyway
    }
  }

  /** The services of the gRPC port, for one of its servers. */
  private static GrpcIoServer grpcHandler(
      Vertx vertx, JobQueue queue, ExecutorServiceImpl service, io.grpc.ServerInterceptor traced) {
    GrpcIoServer grpc =
        GrpcIoServer.server(vertx, new GrpcServerOptions().setMaxMessageSize(MAX_MESSAGE_BYTES));
    HealthService health = HealthService.create(vertx);
    health.register(SERVICE, () -> vertx.executeBlocking(queue::ping, false));
    health.register("", () -> vertx.executeBlocking(queue::ping, false));
    GrpcServices.bind(grpc, service, health, MAX_MESSAGE_BYTES, traced);
    return grpc;
  }

  /** Reads the queue's figures for the gauges, off the event loop; a scrape never reads Redis. */
  private static void refresh(JobQueue queue, RedisQueueStats stats, CoordinatorMetrics metrics) {
    try {
      if (stats == null) {
        metrics.depth(queue.depth());
      } else {
        QueueSnapshot snapshot = stats.read();
        metrics.snapshot(snapshot);
      }
    } catch (RuntimeException e) {
      // Redis is down: readiness and polyrun_redis_up report it; the gauges keep their last values
      metrics.snapshot(null);
    }
  }

  private static <T> T await(Future<T> future, String what) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "cannot listen on " + what + ": " + e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while binding " + what, e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("timed out binding " + what, e);
    }
  }

  /** The bound gRPC port. */
  public int grpcPort() {
    return grpcServers.get(0).actualPort();
  }

  /** The bound HTTP port. */
  public int httpPort() {
    return httpServer.actualPort();
  }

  /**
   * Stops listening, ends open calls and releases the event loops: closes the Vert.x it made, or
   * undeploys its servers from a caller's Vert.x and leaves that running. Idempotent.
   */
  @Override
  public synchronized void close() {
    shutdown(Duration.ZERO);
  }

  /**
   * Stops accepting connections and calls (clients are told to go elsewhere with an HTTP/2 GOAWAY),
   * lets open calls and streams run for up to {@code drain}, then closes what is left (clients of a
   * cut stream resume it on another coordinator) and releases the event loops (a caller's Vert.x
   * stays running). Idempotent.
   */
  public synchronized void shutdown(Duration drain) {
    if (closed) {
      return;
    }
    closed = true;
    service.drain();
    try {
      List<Future<Void>> stopping = new ArrayList<>();
      for (HttpServer server : grpcServers) {
        stopping.add(server.shutdown(drain.toMillis(), TimeUnit.MILLISECONDS));
      }
      Future.join(stopping)
          .toCompletionStage()
          .toCompletableFuture()
          .get(drain.toMillis() + 30_000, TimeUnit.MILLISECONDS);
      if (ownsVertx) {
        await(httpServer.close(), "close");
      }
    } catch (IllegalStateException | ExecutionException | TimeoutException e) {
      // closing anyway
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // the timers hand work to the blocking executor: they stop before it does
    if (ownsVertx) {
      await(vertx.close(), "close");
    } else {
      release(vertx, new GrpcServers.Deployment(grpcDeployment, grpcServers), httpServer, timers);
    }
    streams.close();
    blocking.shutdownNow();
    metrics.close();
    if (ownTelemetry != null) {
      ownTelemetry.close();
    }
  }
}
