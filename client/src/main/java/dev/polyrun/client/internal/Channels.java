package dev.polyrun.client.internal;

import io.grpc.ChannelCredentials;
import io.grpc.ClientInterceptor;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.MetadataUtils;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Creates and closes the client's gRPC channel. */
public final class Channels {
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private Channels() {}

  /**
   * A channel to {@code target} ({@code host:port} or a gRPC target URI).
   *
   * @param apiKey sent as {@code authorization: Bearer <key>} on every call when not null
   */
  public static ManagedChannel open(
      String target, boolean tls, String apiKey, int maxInboundMessageBytes, String userAgent) {
    ChannelCredentials credentials =
        tls ? TlsChannelCredentials.create() : InsecureChannelCredentials.create();
    ManagedChannelBuilder<?> builder =
        Grpc.newChannelBuilder(target, credentials)
            .maxInboundMessageSize(maxInboundMessageBytes)
            .userAgent(userAgent);
    List<ClientInterceptor> interceptors = new ArrayList<>();
    if (apiKey != null) {
      Metadata headers = new Metadata();
      headers.put(AUTHORIZATION, "Bearer " + apiKey);
      interceptors.add(MetadataUtils.newAttachHeadersInterceptor(headers));
    }
    return builder.intercept(interceptors).build();
  }

  /**
   * Lets calls in flight finish for up to {@code drainMillis}, then cancels the rest. Restores the
   * interrupt flag when interrupted.
   */
  public static void close(ManagedChannel channel, long drainMillis) {
    channel.shutdown();
    try {
      if (!channel.awaitTermination(drainMillis, TimeUnit.MILLISECONDS)) {
        channel.shutdownNow();
        channel.awaitTermination(drainMillis, TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      channel.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
