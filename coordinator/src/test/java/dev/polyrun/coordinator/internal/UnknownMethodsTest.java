package dev.polyrun.coordinator.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UnknownMethodsTest {
  private final UnknownMethods unknown = new UnknownMethods(GrpcServices.SERVED);

  @Test
  void anUnknownMethodOfAServedServiceNamesTheServicesMethods() {
    assertThat(unknown.describe("polyrun.v1.ExecutorService/Nope"))
        .isEqualTo(
            "unknown method 'Nope' of polyrun.v1.ExecutorService (expected: one of [Submit, Execute, StreamEvents, GetJob,"
                + " CancelJob, ListLanguages])");
  }

  @Test
  void anUnknownServiceNamesTheServedServices() {
    assertThat(unknown.describe("polyrun.v2.Executor/Submit"))
        .isEqualTo(
            "unknown service 'polyrun.v2.Executor' (expected: one of [polyrun.v1.ExecutorService, grpc.health.v1.Health,"
                + " grpc.reflection.v1.ServerReflection, grpc.reflection.v1alpha.ServerReflection])");
    assertThat(unknown.describe("nothing")).startsWith("unknown service 'nothing'");
  }
}
