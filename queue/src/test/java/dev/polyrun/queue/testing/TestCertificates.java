package dev.polyrun.queue.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away certificate authority with a server certificate for 127.0.0.1 and a client
 * certificate, made by openssl in a temporary directory when a test starts (never committed), for
 * the gRPC port's TLS and Redis's alike, plus a second authority that signed a client certificate
 * of its own (a stranger's): trusting it alone must fail.
 */
public final class TestCertificates {
  /** The directory the files are in. */
  public final Path dir;

  /** The authority that signed the server and client certificates (PEM). */
  public final Path ca;

  /** The server certificate, for IP 127.0.0.1 and DNS localhost (PEM). */
  public final Path serverCert;

  /** The server's private key (PEM, unencrypted). */
  public final Path serverKey;

  /** A client certificate signed by {@link #ca} (PEM). */
  public final Path clientCert;

  /** The client's private key (PEM, unencrypted). */
  public final Path clientKey;

  /** Another authority, which signed neither the server's nor the client's certificate (PEM). */
  public final Path otherCa;

  /** A client certificate signed by {@link #otherCa} (PEM). */
  public final Path strangerCert;

  /** The stranger's private key (PEM, unencrypted). */
  public final Path strangerKey;

  private TestCertificates(Path dir) {
    this.dir = dir;
    this.ca = dir.resolve("ca.pem");
    this.serverCert = dir.resolve("server.pem");
    this.serverKey = dir.resolve("server.key");
    this.clientCert = dir.resolve("client.pem");
    this.clientKey = dir.resolve("client.key");
    this.otherCa = dir.resolve("other-ca.pem");
    this.strangerCert = dir.resolve("stranger.pem");
    this.strangerKey = dir.resolve("stranger.key");
  }

  /** Makes the authorities, keys and certificates in {@code dir} with openssl. */
  public static TestCertificates create(Path dir) throws IOException, InterruptedException {
    TestCertificates c = new TestCertificates(dir);
    c.authority("ca", "polyrun test CA");
    c.authority("other-ca", "someone else's CA");
    Files.writeString(
        dir.resolve("server.ext"),
        "subjectAltName=IP:127.0.0.1,DNS:localhost\n"
            // clientAuth too: Redis nodes present their server certificate to each other (cluster
            // bus)
            + "extendedKeyUsage=serverAuth,clientAuth\n");
    Files.writeString(dir.resolve("client.ext"), "extendedKeyUsage=clientAuth\n");
    c.leaf("server", "127.0.0.1", "ca");
    c.leaf("client", "polyrun test client", "ca");
    Files.writeString(dir.resolve("stranger.ext"), "extendedKeyUsage=clientAuth\n");
    c.leaf("stranger", "someone else's client", "other-ca");
    return c;
  }

  private void authority(String name, String cn) throws IOException, InterruptedException {
    openssl(
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        name + ".key",
        "-out",
        name + ".pem",
        "-days",
        "2",
        "-subj",
        "/CN=" + cn);
  }

  private void leaf(String name, String cn, String authority)
      throws IOException, InterruptedException {
    openssl(
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        name + ".key",
        "-out",
        name + ".csr",
        "-subj",
        "/CN=" + cn);
    openssl(
        "x509",
        "-req",
        "-in",
        name + ".csr",
        "-CA",
        authority + ".pem",
        "-CAkey",
        authority + ".key",
        "-CAcreateserial",
        "-out",
        name + ".pem",
        "-days",
        "2",
        "-extfile",
        name + ".ext");
  }

  private void openssl(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    Process p =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("openssl.log").toFile())
            .start();
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(
          "openssl "
              + String.join(" ", args)
              + " failed: "
              + Files.readString(dir.resolve("openssl.log")));
    }
  }
}
