package dev.polyrun.coordinator.internal;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * One port served by several HTTP servers, each on an event loop of its own: Vert.x shares the
 * listening socket between them and spreads connections over them, so that the gRPC transport
 * (HTTP/2 framing, message coding) uses every core instead of one event loop's.
 */
public final class GrpcServers {
  /** The last negative port handed out: each start on port 0 takes the next one down. */
  private static final AtomicInteger RANDOM_PORT_GROUPS = new AtomicInteger();

  private GrpcServers() {}

  /**
   * The servers of one port and the deployment that holds them: undeploying it closes them, which a
   * coordinator on a Vert.x it does not own must do instead of closing that Vert.x.
   */
  public record Deployment(String id, List<HttpServer> servers) {}

  /**
   * Starts {@code instances} servers with {@code options} (port 0 picks one free port for all),
   * each with a request handler of its own from {@code handlers}.
   */
  public static Future<Deployment> start(
      Vertx vertx,
      int instances,
      HttpServerOptions options,
      Supplier<Handler<HttpServerRequest>> handlers) {
    List<HttpServer> servers = new CopyOnWriteArrayList<>();
    HttpServerOptions shared = new HttpServerOptions(options);
    if (shared.getPort() == 0) {
      // Vert.x: the servers of one Vert.x asking for the same negative port share one random port;
      // a value of its own per call keeps two coordinators on one Vert.x on ports of their own
      shared.setPort(RANDOM_PORT_GROUPS.decrementAndGet());
    }
    return vertx
        .deployVerticle(
            () ->
                new VerticleBase() {
                  @Override
                  public Future<?> start() {
                    return vertx
                        .createHttpServer(shared)
                        .requestHandler(handlers.get())
                        .listen()
                        .onSuccess(servers::add);
                  }
                },
            new DeploymentOptions().setInstances(instances))
        .map(id -> new Deployment(id, List.copyOf(servers)));
  }
}
