package dev.polyrun.coordinator;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A gRPC call made by hand over HTTP/2, to see what goes on the wire (a gRPC library hides the raw
 * status headers: it decodes them for its caller).
 */
final class RawGrpc implements AutoCloseable {
  private final Vertx vertx = Vertx.vertx();
  private final HttpClientAgent client =
      vertx.createHttpClient(
          new HttpClientOptions()
              .setProtocolVersion(HttpVersion.HTTP_2)
              .setHttp2ClearTextUpgrade(false));
  private final int port;

  RawGrpc(int port) {
    this.port = port;
  }

  /** The HTTP response: status, headers and trailers (each name with all its values). */
  record Response(
      int status, Map<String, List<String>> headers, Map<String, List<String>> trailers) {
    /**
     * The only value of a header or trailer (a trailers-only response has its status in the
     * headers).
     */
    String single(String name) {
      List<String> values =
          headers.containsKey(name) ? headers.get(name) : trailers.getOrDefault(name, List.of());
      if (values.size() != 1 || (headers.containsKey(name) && trailers.containsKey(name))) {
        throw new AssertionError(
            name + " is sent " + values.size() + " times in " + this + " (expected: once)");
      }
      return values.get(0);
    }
  }

  /**
   * Calls {@code path} with one request message, optionally running {@code onData} at each data
   * frame.
   */
  Response call(String path, byte[] message, Map<String, String> metadata, Consumer<Buffer> onData)
      throws Exception {
    Future<Response> response =
        client
            .request(HttpMethod.POST, port, "127.0.0.1", path)
            .compose(
                request -> {
                  request.putHeader("content-type", "application/grpc").putHeader("te", "trailers");
                  metadata.forEach(request::putHeader);
                  return request.send(frame(message)).compose(r -> read(r, onData));
                });
    return response.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static Future<Response> read(HttpClientResponse r, Consumer<Buffer> onData) {
    r.handler(onData::accept);
    return r.end().map(v -> new Response(r.statusCode(), copy(r.headers()), copy(r.trailers())));
  }

  private static Map<String, List<String>> copy(MultiMap map) {
    Map<String, List<String>> out = new java.util.TreeMap<>();
    map.names().forEach(name -> out.put(name.toLowerCase(java.util.Locale.ROOT), map.getAll(name)));
    return out;
  }

  private static Buffer frame(byte[] message) {
    return Buffer.buffer().appendByte((byte) 0).appendInt(message.length).appendBytes(message);
  }

  @Override
  public void close() throws Exception {
    client.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
