-- Binds a claimed idempotency key to the job it produced, for the key's ttl.
-- KEYS[1] the key's hash
-- ARGV[1] request fingerprint, ARGV[2] job id, ARGV[3] ttl ms
-- Returns 1 when bound, 0 when the claim is no longer the caller's.
if redis.call('HGET', KEYS[1], 'fp') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'job', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
