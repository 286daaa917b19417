package dev.polyrun.coordinator.internal;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;

/**
 * Carries a call's {@code authorization} header into its gRPC context, where the service reads it
 * with {@link #AUTHORIZATION}. Checking it is left to the service ({@link Authenticator}), so that
 * a refusal is an ordinary failure of the call, mapped to its status in {@link Statuses}.
 */
final class Credentials implements ServerInterceptor {
  /** The raw {@code authorization} header of the current call, or null when it had none. */
  static final Context.Key<String> AUTHORIZATION = Context.key("polyrun-authorization");

  private static final Metadata.Key<String> HEADER =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    Context context = Context.current().withValue(AUTHORIZATION, headers.get(HEADER));
    return Contexts.interceptCall(context, call, headers, next);
  }
}
