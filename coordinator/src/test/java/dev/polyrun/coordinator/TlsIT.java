package dev.polyrun.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.polyrun.proto.v1.ExecutorServiceGrpc;
import dev.polyrun.proto.v1.Language;
import dev.polyrun.proto.v1.ListLanguagesRequest;
import dev.polyrun.queue.QueueOptions;
import dev.polyrun.queue.RedisAdmission;
import dev.polyrun.queue.RedisQueue;
import dev.polyrun.queue.testing.TestCertificates;
import dev.polyrun.queue.testing.TestRedis;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS on the gRPC port, with and without required client certificates, against certificates made by
 * openssl for the test: who gets in and who is shut out, seen by grpc-java clients.
 */
class TlsIT {
  @TempDir static Path dir;
  private static TestCertificates certs;
  private static TestRedis redis;
  private static RedisQueue queue;
  private static RedisAdmission admission;
  private static Vertx vertx;

  @BeforeAll
  static void start() throws Exception {
    certs = TestCertificates.create(dir);
    redis = TestRedis.start();
    queue = RedisQueue.connect(redis.settings(), QueueOptions.defaults(), Duration.ofSeconds(2));
    admission = RedisAdmission.sharing(queue, QueueOptions.defaults());
    queue.advertise(List.of(Language.newBuilder().setName("python").setVersion("3.11.2").build()));
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
    queue.close();
    redis.close();
  }

  private static Coordinator coordinator(TlsOptions tls) {
    return Coordinator.builder()
        .vertx(vertx)
        .queue(queue)
        .admission(admission)
        .options(
            CoordinatorOptions.builder()
                .host("127.0.0.1")
                .grpcPort(0)
                .httpPort(0)
                .auth(AuthMode.NONE)
                .tls(tls)
                .build())
        .start();
  }

  /** The languages over a channel with {@code credentials}; the channel is closed afterwards. */
  private static List<String> languages(Coordinator c, ChannelCredentials credentials)
      throws InterruptedException {
    ManagedChannel channel =
        Grpc.newChannelBuilderForAddress("127.0.0.1", c.grpcPort(), credentials).build();
    try {
      return ExecutorServiceGrpc.newBlockingStub(channel)
          .withDeadlineAfter(10, TimeUnit.SECONDS)
          .listLanguages(ListLanguagesRequest.getDefaultInstance())
          .getLanguagesList()
          .stream()
          .map(dev.polyrun.proto.v1.Language::getName)
          .toList();
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private static void assertShutOut(Coordinator c, ChannelCredentials credentials) {
    assertThatThrownBy(() -> languages(c, credentials))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
  }

  private static ChannelCredentials trusting(Path ca) throws IOException {
    return TlsChannelCredentials.newBuilder().trustManager(ca.toFile()).build();
  }

  private static ChannelCredentials trusting(Path ca, Path cert, Path key) throws IOException {
    return TlsChannelCredentials.newBuilder()
        .trustManager(ca.toFile())
        .keyManager(cert.toFile(), key.toFile())
        .build();
  }

  @Test
  void aServerCertificateServesClientsThatTrustItsAuthorityOnly() throws Exception {
    try (Coordinator c = coordinator(TlsOptions.serverOnly(certs.serverCert, certs.serverKey))) {
      assertThat(languages(c, trusting(certs.ca))).containsExactly("python");
      assertThat(languages(c, trusting(certs.ca, certs.clientCert, certs.clientKey)))
          .as("a client certificate the server does not ask for does no harm")
          .containsExactly("python");

      assertShutOut(c, trusting(certs.otherCa));
      assertShutOut(
          c, TlsChannelCredentials.create()); // the JDK's authorities: none signed the test CA
      assertShutOut(c, InsecureChannelCredentials.create());
    }
  }

  @Test
  void requiredClientCertificatesShutOutClientsWithoutOneOrWithAStrangersOne() throws Exception {
    try (Coordinator c =
        coordinator(TlsOptions.mutual(certs.serverCert, certs.serverKey, certs.ca))) {
      assertThat(languages(c, trusting(certs.ca, certs.clientCert, certs.clientKey)))
          .containsExactly("python");

      assertShutOut(c, trusting(certs.ca));
      assertShutOut(c, trusting(certs.ca, certs.strangerCert, certs.strangerKey));
      assertShutOut(c, InsecureChannelCredentials.create());
    }
  }
}
