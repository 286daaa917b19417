package dev.polyrun.coordinator;

import java.util.Objects;

/**
 * Where the coordinator listens and what it accepts.
 *
 * @param host address both servers bind to (default 127.0.0.1: nothing listens beyond loopback
 *     unless configured)
 * @param grpcPort gRPC port (default 50051; 0 picks a free one)
 * @param httpPort port of /healthz, /readyz and /metrics (default 8080; 0 picks a free one)
 * @param limits the largest limits and request sizes accepted
 */
public record CoordinatorOptions(String host, int grpcPort, int httpPort, ServerLimits limits) {

  public CoordinatorOptions {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(limits, "limits");
    checkPort("grpc port", grpcPort);
    checkPort("http port", httpPort);
  }

  public static CoordinatorOptions defaults() {
    return new CoordinatorOptions("127.0.0.1", 50051, 8080, ServerLimits.defaults());
  }

  private static void checkPort(String name, int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(name + ": " + port + " (expected: 0..65535)");
    }
  }
}
