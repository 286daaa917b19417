-- Cancels a job. A queued job ends at once (and leaves its tenant's active
-- jobs); a running one is flagged for its worker, which stops it and stores the
-- CANCELLED result itself.
-- KEYS[1] job hash, KEYS[2] job's event stream, KEYS[3] the tenant's active set
-- ARGV[1] result bytes, ARGV[2] result event bytes, ARGV[3] ttl ms, ARGV[4] now ms,
-- ARGV[5] the job's member in the active set
-- Returns the job's state after the call, or false for an unknown job.
local st = redis.call('HGET', KEYS[1], 'state')
if not st then return false end
if st == 'DONE' or st == 'CANCELLED' then return st end
redis.call('HSET', KEYS[1], 'cancel', '1')
if st == 'QUEUED' then
  redis.call('HSET', KEYS[1], 'state', 'CANCELLED', 'result', ARGV[1], 'finished_ms', ARGV[4])
  redis.call('XADD', KEYS[2], '*', 'e', ARGV[2])
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
  redis.call('PEXPIRE', KEYS[2], ARGV[3])
  redis.call('ZREM', KEYS[3], ARGV[5])
  return 'CANCELLED'
end
return st
