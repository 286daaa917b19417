package dev.polyrun.telemetry.internal;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.exporter.prometheus.PrometheusMetricReader;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@code GET /metrics} in the Prometheus text format on a port of its own, one request at a time (a
 * scrape every few seconds needs no more). The JDK's server, so the bound port of port 0 is known.
 */
public final class PrometheusEndpoint implements AutoCloseable {
  public static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;
  private final HttpServer server;
  private final ExecutorService thread;

  private PrometheusEndpoint(HttpServer server, ExecutorService thread) {
    this.server = server;
    this.thread = thread;
  }

  public static PrometheusEndpoint start(String host, int port, PrometheusMetricReader reader)
      throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 16);
    server.createContext(
        "/",
        exchange -> {
          try (exchange) {
            boolean metrics = exchange.getRequestURI().getPath().equals("/metrics");
            byte[] body =
                metrics
                    ? scrape(reader)
                    : "not found; try /metrics\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange
                .getResponseHeaders()
                .set("content-type", metrics ? CONTENT_TYPE : "text/plain");
            exchange.sendResponseHeaders(metrics ? 200 : 404, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(body);
            }
          }
        });
    ExecutorService thread =
        Executors.newSingleThreadExecutor(
            r -> Thread.ofPlatform().daemon().name("polyrun-prometheus").unstarted(r));
    server.setExecutor(thread);
    server.start();
    return new PrometheusEndpoint(server, thread);
  }

  public static byte[] scrape(PrometheusMetricReader reader) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      PrometheusTextFormatWriter.create()
          .write(out, reader.collect(), EscapingScheme.UNDERSCORE_ESCAPING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    thread.shutdownNow();
  }
}
