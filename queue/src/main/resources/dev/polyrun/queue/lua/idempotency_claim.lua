-- Claims an idempotency key for a new submission, or tells who holds it.
-- KEYS[1] the key's hash
-- ARGV[1] request fingerprint, ARGV[2] ttl ms of an unbound (pending) claim
-- Returns {1} when claimed now, else {0, fingerprint, job id ('' while pending)}.
local held = redis.call('HMGET', KEYS[1], 'fp', 'job')
if not held[1] then
  redis.call('HSET', KEYS[1], 'fp', ARGV[1], 'job', '')
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return {1}
end
return {0, held[1], held[2] or ''}
