package dev.polyrun.coordinator.internal;

import com.google.protobuf.Descriptors.ServiceDescriptor;
import dev.polyrun.proto.v1.ExecutorProto;
import io.grpc.BindableService;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.vertx.grpc.health.HealthService;
import io.vertx.grpcio.server.GrpcIoServer;
import java.util.List;

/**
 * Everything the gRPC port serves, bound in one place: the executor, health, server reflection in
 * both versions, and UNIMPLEMENTED for any other method. Every grpc-java service sends its status
 * messages as the gRPC spec encodes them ({@link StatusMessages}).
 */
public final class GrpcServices {
  /** The services the port serves, as reflection lists them. */
  static final List<ServiceDescriptor> SERVED =
      List.of(
          ExecutorProto.getDescriptor().findServiceByName("ExecutorService"),
          io.grpc.health.v1.HealthProto.getDescriptor().findServiceByName("Health"),
          io.grpc.reflection.v1.ServerReflectionProto.getDescriptor()
              .findServiceByName("ServerReflection"),
          io.grpc.reflection.v1alpha.ServerReflectionProto.getDescriptor()
              .findServiceByName("ServerReflection"));

  private GrpcServices() {}

  /**
   * Binds the services to {@code grpc}.
   *
   * @param maxMessageBytes the largest request message the server accepts (larger ones are refused
   *     with a message saying so)
   * @param telemetry the outermost interceptor of the executor's calls: their spans and RPC metrics
   */
  public static void bind(
      GrpcIoServer grpc,
      ExecutorServiceImpl executor,
      HealthService health,
      long maxMessageBytes,
      ServerInterceptor telemetry) {
    ServerServiceDefinition traced =
        ServerInterceptors.intercept(readable(executor.withCredentials()).bindService(), telemetry);
    MessageSizeGuard.bind(grpc, () -> traced, maxMessageBytes);
    ReflectionServiceImpl reflection = new ReflectionServiceImpl(SERVED);
    grpc.addService(readable(reflection));
    grpc.addService(readable(new ReflectionV1Alpha(reflection)));
    grpc.addService(health);
    grpc.callHandler(new UnknownMethods(SERVED));
  }

  private static BindableService readable(BindableService service) {
    ServerServiceDefinition intercepted =
        ServerInterceptors.intercept(service, StatusMessages.interceptor());
    return () -> intercepted;
  }
}
