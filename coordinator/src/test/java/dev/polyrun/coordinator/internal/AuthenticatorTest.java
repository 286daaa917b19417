package dev.polyrun.coordinator.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.polyrun.coordinator.AuthMode;
import dev.polyrun.coordinator.Tenant;
import dev.polyrun.coordinator.Tenants;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AuthenticatorTest {
  private static final Tenant ACME =
      new Tenant("acme", Set.of(Tenants.sha256Hex("k-acme")), 1, 1, 1, Optional.empty());
  private final Authenticator keys = new Authenticator(AuthMode.KEYS, Tenants.of(List.of(ACME)));

  private static void assertUnauthenticated(Runnable call, String message) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
              assertThat(e.getStatus().getDescription()).startsWith(message).doesNotContain("k-");
            });
  }

  @Test
  void aBearerKeyNamesItsTenantWhateverTheSchemesCase() {
    assertThat(keys.authenticate("Bearer k-acme")).isEqualTo(ACME);
    assertThat(keys.authenticate("bearer  k-acme ")).isEqualTo(ACME);
  }

  @Test
  void missingMalformedAndUnknownKeysAreUnauthenticatedWithoutEchoingTheKey() {
    assertUnauthenticated(() -> keys.authenticate(null), "missing API key");
    assertUnauthenticated(() -> keys.authenticate("  "), "missing API key");
    assertUnauthenticated(
        () -> keys.authenticate("Basic k-acme"),
        "the authorization metadata is not a bearer token");
    assertUnauthenticated(() -> keys.authenticate("Bearer k-other"), "unknown API key");
  }

  @Test
  void withoutKeysEveryCallerIsTheAnonymousTenant() {
    Authenticator none = new Authenticator(AuthMode.NONE, Tenants.of(List.of(ACME)));

    assertThat(none.authenticate(null).isAnonymous()).isTrue();
    assertThat(none.authenticate("Bearer k-acme").isAnonymous()).isTrue();
  }
}
