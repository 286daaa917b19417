package dev.polyrun.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.polyrun.client.ExecutionListener;
import dev.polyrun.client.PolyrunClient;
import dev.polyrun.client.PolyrunClientBuilder;
import dev.polyrun.coordinator.TlsOptions;
import dev.polyrun.proto.v1.ExecuteRequest;
import dev.polyrun.proto.v1.Result;
import dev.polyrun.proto.v1.SourceFile;
import dev.polyrun.proto.v1.Verdict;
import dev.polyrun.queue.testing.TestCertificates;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client library and the CLI over TLS, with and without client certificates, running a job
 * through the real cluster. Who the coordinator lets in and who it shuts out is tested in the
 * coordinator module (its TlsIT).
 */
class TlsIT {
  private static final Path ROOT =
      Path.of(System.getProperty("polyrun.root", "..")).toAbsolutePath().normalize();
  @TempDir static Path dir;
  private static TestCertificates certs;

  @BeforeAll
  static void certificates() throws Exception {
    certs = TestCertificates.create(dir);
  }

  private static PolyrunClientBuilder client(LocalCluster cluster) {
    return PolyrunClient.builder(cluster.target()).deadline(Duration.ofSeconds(20)).maxResumes(0);
  }

  private static Result hello(PolyrunClient client) {
    return client.execute(
        ExecuteRequest.newBuilder()
            .setLanguage("python")
            .addFiles(
                SourceFile.newBuilder().setContent(ByteString.copyFromUtf8("print('over tls')")))
            .build(),
        ExecutionListener.NONE);
  }

  @Test
  void theClientAndTheCliTrustAServerCertificateTheyAreGivenTheAuthorityOf() throws Exception {
    try (LocalCluster cluster =
        LocalCluster.builder()
            .coordinator(b -> b.tls(TlsOptions.serverOnly(certs.serverCert, certs.serverKey)))
            .start()) {
      try (PolyrunClient client = client(cluster).trustCertificates(certs.ca).build()) {
        assertThat(hello(client).getVerdict()).isEqualTo(Verdict.VERDICT_OK);
      }
      assertThat(cli(cluster, "--ca", certs.ca.toString(), "languages")).contains("python");
    }
  }

  @Test
  void theClientAndTheCliPresentTheirCertificateWhereOneIsRequired() throws Exception {
    try (LocalCluster cluster =
        LocalCluster.builder()
            .coordinator(b -> b.tls(TlsOptions.mutual(certs.serverCert, certs.serverKey, certs.ca)))
            .start()) {
      try (PolyrunClient client =
          client(cluster)
              .trustCertificates(certs.ca)
              .clientCertificate(certs.clientCert, certs.clientKey)
              .build()) {
        assertThat(hello(client).getVerdict()).isEqualTo(Verdict.VERDICT_OK);
      }
      assertThat(
              cli(
                  cluster,
                  "--ca",
                  certs.ca.toString(),
                  "--cert",
                  certs.clientCert.toString(),
                  "--key",
                  certs.clientKey.toString(),
                  "languages"))
          .contains("python");
    }
  }

  /** Runs bin/polyrun against the cluster; returns its stdout after checking it exited 0. */
  private static String cli(LocalCluster cluster, String... args) throws Exception {
    List<String> command =
        new java.util.ArrayList<>(List.of(ROOT.resolve("bin/polyrun").toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
    pb.environment().put("POLYRUN_ADDR", cluster.target());
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(Files.readString(err, StandardCharsets.UTF_8)).isZero();
    return Files.readString(out, StandardCharsets.UTF_8);
  }
}
