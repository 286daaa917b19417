package dev.polyrun.e2e;

import org.junit.jupiter.api.BeforeAll;

/** The end-to-end core on a real local Redis Cluster: three masters, a replica each. */
class RedisClusterCoreIT extends RedisTopologyCore {
  @BeforeAll
  static void startOnCluster() throws Exception {
    start(LocalCluster.RedisTopology.CLUSTER);
  }
}
