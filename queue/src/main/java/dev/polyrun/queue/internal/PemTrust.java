package dev.polyrun.queue.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS sockets that trust exactly the authorities of one PEM file, as Redis's own {@code
 * tls-ca-cert-file} is written: operators hand polyrun the same file instead of converting it into
 * a Java trust store. Host names are still verified (Jedis asks for HTTPS-style endpoint checks).
 */
public final class PemTrust {
  private PemTrust() {}

  /**
   * A socket factory trusting the certificates of {@code caFile}.
   *
   * @throws IllegalArgumentException naming the file when it cannot be read or holds no certificate
   */
  public static SSLSocketFactory socketFactory(Path caFile) {
    try (InputStream in = Files.newInputStream(caFile)) {
      Collection<? extends Certificate> certificates =
          CertificateFactory.getInstance("X.509").generateCertificates(in);
      if (certificates.isEmpty()) {
        throw new IllegalArgumentException(
            "redis trusted CA: "
                + caFile
                + " holds no certificate (expected: PEM certificates, -----BEGIN CERTIFICATE-----)");
      }
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (Certificate certificate : certificates) {
        store.setCertificateEntry("ca-" + i++, certificate);
      }
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context.getSocketFactory();
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "redis trusted CA: "
              + caFile
              + " cannot be read ("
              + e
              + "; expected: a readable PEM file of certificates)",
          e);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "redis trusted CA: "
              + caFile
              + " is not usable ("
              + e.getMessage()
              + "; expected: PEM certificates, -----BEGIN CERTIFICATE-----)",
          e);
    }
  }
}
