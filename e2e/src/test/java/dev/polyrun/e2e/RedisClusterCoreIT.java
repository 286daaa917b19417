package dev.polyrun.e2e;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The end-to-end core on a real local Redis Cluster: three masters, a replica each. */
class RedisClusterCoreIT extends RedisTopologyCore {
  @RegisterExtension
  static final ClusterExtension topology = on(LocalCluster.RedisTopology.CLUSTER);
}
