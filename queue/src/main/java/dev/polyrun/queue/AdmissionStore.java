package dev.polyrun.queue;

/**
 * Everything the coordinator's admission path keeps in Redis besides the jobs themselves:
 * idempotency keys, tenant quotas and the queue's load. {@link RedisAdmission} is the Redis
 * implementation.
 */
public interface AdmissionStore extends IdempotencyStore, TenantQuotas, QueueLoadProbe, AutoCloseable {
  @Override
  void close();
}
