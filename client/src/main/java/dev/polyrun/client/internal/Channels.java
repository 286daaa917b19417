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
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Creates and closes the client's gRPC channel. */
public final class Channels {
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private Channels() {}

  /**
   * How to reach the service.
   *
   * @param enabled whether to use TLS at all
   * @param trustCertificates PEM authorities to trust instead of the JVM's, or null
   * @param certificateChain PEM client certificate chain to present, or null
   * @param privateKey PEM PKCS#8 key of the client certificate, or null
   */
  public record Tls(
      boolean enabled, Path trustCertificates, Path certificateChain, Path privateKey) {}

  /**
   * A channel to {@code target} ({@code host:port} or a gRPC target URI).
   *
   * @param apiKey sent as {@code authorization: Bearer <key>} on every call when not null
   * @param extra interceptors of every call (e.g. tracing), around the API key's
   * @throws IllegalArgumentException naming a certificate or key file that cannot be read
   */
  public static ManagedChannel open(
      String target,
      Tls tls,
      String apiKey,
      int maxInboundMessageBytes,
      String userAgent,
      List<ClientInterceptor> extra) {
    ChannelCredentials credentials =
        tls.enabled() ? tlsCredentials(tls) : InsecureChannelCredentials.create();
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
    interceptors.addAll(extra);
    return builder.intercept(interceptors).build();
  }

  private static ChannelCredentials tlsCredentials(Tls tls) {
    TlsChannelCredentials.Builder builder = TlsChannelCredentials.newBuilder();
    try {
      if (tls.trustCertificates() != null) {
        builder.trustManager(tls.trustCertificates().toFile());
      }
      if (tls.certificateChain() != null) {
        builder.keyManager(tls.certificateChain().toFile(), tls.privateKey().toFile());
      }
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(
          "cannot use the TLS certificate files ("
              + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
              + ")",
          e);
    }
    return builder.build();
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
