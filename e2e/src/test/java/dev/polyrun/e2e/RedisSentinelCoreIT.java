package dev.polyrun.e2e;

import org.junit.jupiter.api.BeforeAll;

/** The end-to-end core on a real local Sentinel topology: a master, a replica, three sentinels. */
class RedisSentinelCoreIT extends RedisTopologyCore {
  @BeforeAll
  static void startOnSentinel() throws Exception {
    start(LocalCluster.RedisTopology.SENTINEL);
  }
}
