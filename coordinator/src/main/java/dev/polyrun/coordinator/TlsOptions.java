package dev.polyrun.coordinator;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * TLS on the gRPC port. Files are PEM; the key may be PKCS#8 or PKCS#1 (RSA).
 *
 * @param certificateChain the server's certificate, then its intermediates ({@code
 *     coordinator.tls.cert})
 * @param privateKey the server certificate's private key ({@code coordinator.tls.key})
 * @param clientCa certificates of the authorities whose client certificates are trusted ({@code
 *     coordinator.tls.client-ca}); empty when clients present none
 * @param clientAuth whether a client certificate is required ({@code coordinator.tls.client-auth};
 *     default REQUIRED with a client CA, NONE without)
 */
public record TlsOptions(
    Path certificateChain, Path privateKey, Optional<Path> clientCa, ClientAuth clientAuth) {

  /** Whether clients must present a certificate signed by the client CA. */
  public enum ClientAuth {
    /** No client certificate is asked for. */
    NONE,
    /** A client certificate is asked for and checked when presented, but not required. */
    OPTIONAL,
    /** A client without a certificate signed by the client CA cannot connect. */
    REQUIRED
  }

  public TlsOptions {
    Objects.requireNonNull(certificateChain, "certificateChain");
    Objects.requireNonNull(privateKey, "privateKey");
    Objects.requireNonNull(clientCa, "clientCa");
    Objects.requireNonNull(clientAuth, "clientAuth");
    if (clientAuth != ClientAuth.NONE && clientCa.isEmpty()) {
      throw new IllegalArgumentException(
          "tls client auth " + clientAuth + " (expected: NONE without a client CA file)");
    }
  }

  /** The server certificate alone: clients are not asked for theirs. */
  public static TlsOptions serverOnly(Path certificateChain, Path privateKey) {
    return new TlsOptions(certificateChain, privateKey, Optional.empty(), ClientAuth.NONE);
  }

  /** The server certificate, and client certificates required from {@code clientCa}. */
  public static TlsOptions mutual(Path certificateChain, Path privateKey, Path clientCa) {
    return new TlsOptions(certificateChain, privateKey, Optional.of(clientCa), ClientAuth.REQUIRED);
  }
}
