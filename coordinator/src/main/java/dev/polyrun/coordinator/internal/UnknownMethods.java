package dev.polyrun.coordinator.internal;

import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.grpc.server.GrpcServerRequest;
import java.util.List;
import java.util.Optional;

/**
 * Answers a call to a method or service this server does not serve as gRPC requires: UNIMPLEMENTED
 * (trailers-only, HTTP 200) naming what was called and what is served. Without it the Vert.x server
 * answers HTTP 500, which clients report as UNKNOWN.
 */
public final class UnknownMethods implements Handler<GrpcServerRequest<Buffer, Buffer>> {
  private final List<ServiceDescriptor> services;

  /** A handler for calls outside {@code services}, the ones the server serves. */
  public UnknownMethods(List<ServiceDescriptor> services) {
    this.services = List.copyOf(services);
  }

  @Override
  public void handle(GrpcServerRequest<Buffer, Buffer> request) {
    // the request's messages are dropped: the call ends before any is read
    request.handler(message -> {});
    StatusMessages.end(
        request.response(), Statuses.unimplemented(describe(request.fullMethodName())));
  }

  /** What was called and what is served, for a call to {@code fullMethodName} (service/method). */
  String describe(String fullMethodName) {
    int slash = fullMethodName.lastIndexOf('/');
    String service = slash < 0 ? fullMethodName : fullMethodName.substring(0, slash);
    String method = slash < 0 ? "" : fullMethodName.substring(slash + 1);
    Optional<ServiceDescriptor> known =
        services.stream().filter(s -> s.getFullName().equals(service)).findFirst();
    if (known.isPresent()) {
      return "unknown method '"
          + method
          + "' of "
          + service
          + " (expected: one of "
          + known.get().getMethods().stream().map(MethodDescriptor::getName).toList()
          + ")";
    }
    return "unknown service '"
        + service
        + "' (expected: one of "
        + services.stream().map(ServiceDescriptor::getFullName).toList()
        + ")";
  }
}
