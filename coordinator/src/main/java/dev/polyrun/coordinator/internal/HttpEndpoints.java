package dev.polyrun.coordinator.internal;

import dev.polyrun.queue.JobQueue;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.util.concurrent.ExecutorService;

/**
 * {@code /healthz} (the process is up), {@code /readyz} (Redis answers) and {@code /metrics}
 * (Prometheus text). Checks that touch Redis run off the event loop.
 */
public final class HttpEndpoints implements Handler<HttpServerRequest> {
  private final JobQueue queue;
  private final CoordinatorMetrics metrics;
  private final ExecutorService blocking;

  public HttpEndpoints(JobQueue queue, CoordinatorMetrics metrics, ExecutorService blocking) {
    this.queue = queue;
    this.metrics = metrics;
    this.blocking = blocking;
  }

  @Override
  public void handle(HttpServerRequest request) {
    var response = request.response();
    switch (request.path()) {
      case "/healthz" -> response.putHeader("content-type", "text/plain").end("ok\n");
      case "/readyz" ->
          blocking.execute(
              () -> {
                boolean ready = queue.ping();
                response
                    .setStatusCode(ready ? 200 : 503)
                    .putHeader("content-type", "text/plain")
                    .end(ready ? "ready\n" : "not ready: redis does not answer\n");
              });
      case "/metrics" ->
          blocking.execute(
              () ->
                  response
                      .putHeader("content-type", CoordinatorMetrics.contentType())
                      .end(Buffer.buffer(metrics.scrape())));
      default ->
          response
              .setStatusCode(404)
              .putHeader("content-type", "text/plain")
              .end("not found; try /healthz, /readyz or /metrics\n");
    }
  }
}
