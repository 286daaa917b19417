package dev.polyrun.e2e;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The end-to-end core on a real local Sentinel topology: a master, a replica, three sentinels. */
class RedisSentinelCoreIT extends RedisTopologyCore {
  @RegisterExtension
  static final ClusterExtension topology = on(LocalCluster.RedisTopology.SENTINEL);
}
