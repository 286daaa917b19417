-- Drops a pending idempotency claim whose submission failed, so a retry can
-- claim the key again. A claim bound to a job is never dropped.
-- KEYS[1] the key's hash
-- ARGV[1] request fingerprint
local held = redis.call('HMGET', KEYS[1], 'fp', 'job')
if held[1] == ARGV[1] and held[2] == '' then
  return redis.call('DEL', KEYS[1])
end
return 0
