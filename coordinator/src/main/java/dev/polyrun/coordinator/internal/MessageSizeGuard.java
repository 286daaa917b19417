package dev.polyrun.coordinator.internal;

import io.grpc.BindableService;
import io.grpc.MethodDescriptor;
import io.vertx.core.Handler;
import io.vertx.grpc.common.MessageSizeOverflowException;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpcio.server.GrpcIoServer;
import io.vertx.grpcio.server.GrpcIoServiceBridge;
import java.lang.reflect.Proxy;

/**
 * Binds a grpc-java service to the Vert.x gRPC server so that a request message over the size limit
 * is refused with RESOURCE_EXHAUSTED (reason MESSAGE_TOO_LARGE) and a message saying so (Vert.x
 * alone sends the status with no message at all).
 */
public final class MessageSizeGuard {
  private MessageSizeGuard() {}

  /** Binds {@code service} to {@code server}, whose largest message is {@code maxBytes}. */
  public static void bind(GrpcIoServer server, BindableService service, long maxBytes) {
    // The bridge registers one handler per method through callHandler; this view wraps each one.
    GrpcIoServer view =
        (GrpcIoServer)
            Proxy.newProxyInstance(
                GrpcIoServer.class.getClassLoader(),
                new Class<?>[] {GrpcIoServer.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("callHandler")
                      && args != null
                      && args.length == 2
                      && args[0] instanceof MethodDescriptor<?, ?> descriptor) {
                    @SuppressWarnings("unchecked")
                    Handler<GrpcServerRequest<Object, Object>> handler =
                        (Handler<GrpcServerRequest<Object, Object>>) args[1];
                    @SuppressWarnings("unchecked")
                    MethodDescriptor<Object, Object> md =
                        (MethodDescriptor<Object, Object>) descriptor;
                    server.callHandler(md, handler == null ? null : guarded(handler, maxBytes));
                    return proxy;
                  }
                  throw new UnsupportedOperationException(method.getName());
                });
    GrpcIoServiceBridge.bridge(service).bind(view);
  }

  private static <Q, R> Handler<GrpcServerRequest<Q, R>> guarded(
      Handler<GrpcServerRequest<Q, R>> handler, long max) {
    return request -> {
      request.invalidMessageHandler(
          invalid -> {
            if (invalid instanceof MessageSizeOverflowException overflow) {
              StatusMessages.end(
                  request.response(),
                  Statuses.tooLarge(
                      "request message of "
                          + overflow.messageSize()
                          + " bytes is larger than this service accepts (at most "
                          + max
                          + " bytes); send less source, stdin or"
                          + " test data"));
            } else {
              request.response().cancel();
            }
          });
      handler.handle(request);
    };
  }
}
