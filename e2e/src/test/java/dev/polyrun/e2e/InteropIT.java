package dev.polyrun.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.polyrun.coordinator.AuthMode;
import dev.polyrun.coordinator.Tenants;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A client in another language: the Node client of {@code e2e/src/test/node} (@grpc/grpc-js) finds
 * the service by reflection (v1alpha and v1), calls every RPC against a real cluster and checks the
 * error model as a Node user sees it.
 */
class InteropIT {
  private static final String KEY = "key-interop";
  private static final String QUOTA_KEY = "key-interop-quota";

  @RegisterExtension
  static final ClusterExtension cluster =
      ClusterExtension.of(
          b ->
              b.coordinator(
                  c ->
                      c.auth(AuthMode.KEYS)
                          .tenants(
                              Tenants.of(
                                  List.of(
                                      LocalCluster.tenant("interop", KEY, 0, 0, 1),
                                      LocalCluster.tenant("interop-quota", QUOTA_KEY, 1, 0, 1))))));

  @BeforeAll
  static void installNodeClient() throws Exception {
    NodeClient.install();
  }

  @Test
  void aNodeClientDiscoversTheServiceByReflectionAndEveryCallAndRefusalBehavesAsTheContractSays()
      throws Exception {
    NodeClient.Run run =
        NodeClient.node("interop.js", List.of(cluster.target(), KEY, QUOTA_KEY), 300);

    assertThat(run.lines())
        .as("what the Node client printed")
        .noneMatch(line -> line.startsWith("not ok"));
    assertThat(run.lastLine()).isEqualTo("interop: 12 passed, 0 failed");
    assertThat(run.exitCode()).isZero();
  }
}
