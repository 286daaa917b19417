package dev.polyrun.queue;

/**
 * What the coordinator's admission path reads from Redis besides the submit script: the queue's
 * load and the reconciliation of tenants' active jobs. {@link RedisAdmission} is the Redis
 * implementation.
 */
public interface AdmissionStore extends TenantQuotas, QueueLoadProbe, AutoCloseable {
  @Override
  void close();
}
