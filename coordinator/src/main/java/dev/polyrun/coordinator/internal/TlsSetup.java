package dev.polyrun.coordinator.internal;

import dev.polyrun.coordinator.TlsOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.nio.file.Files;
import java.nio.file.Path;

/** Turns {@link TlsOptions} into the gRPC server's TLS settings (HTTP/2 negotiated by ALPN). */
public final class TlsSetup {
  private TlsSetup() {}

  /**
   * Sets TLS on {@code server}.
   *
   * @throws IllegalStateException naming a file that cannot be read
   */
  public static void apply(TlsOptions tls, HttpServerOptions server) {
    readable("coordinator.tls.cert", tls.certificateChain());
    readable("coordinator.tls.key", tls.privateKey());
    server
        .setSsl(true)
        .setUseAlpn(true)
        .setKeyCertOptions(
            new PemKeyCertOptions()
                .setCertPath(tls.certificateChain().toString())
                .setKeyPath(tls.privateKey().toString()));
    tls.clientCa()
        .ifPresent(
            ca -> {
              readable("coordinator.tls.client-ca", ca);
              server.setTrustOptions(new PemTrustOptions().addCertPath(ca.toString()));
            });
    server.setClientAuth(
        switch (tls.clientAuth()) {
          case NONE -> ClientAuth.NONE;
          case OPTIONAL -> ClientAuth.REQUEST;
          case REQUIRED -> ClientAuth.REQUIRED;
        });
  }

  private static void readable(String setting, Path file) {
    if (!Files.isReadable(file)) {
      throw new IllegalStateException(setting + ": '" + file + "' (expected: a readable PEM file)");
    }
  }
}
