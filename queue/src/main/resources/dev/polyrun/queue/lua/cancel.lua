-- Cancels a job. A job no worker has started ends at once (and leaves its
-- tenant's active jobs); a running one is flagged for its worker, which stops
-- it and stores the CANCELLED result itself. A job waiting to run again after
-- its worker was lost (an earlier attempt did start) ends at once too, with a
-- result that says so.
-- (The caller then uncounts a job it ended from its tenant's active jobs: they are in
-- the tenant's slot.)
-- A job still waiting in its tenant's backlog leaves it in the same step, so that
-- admission and queue figures count it no more (the backlog is in the job's slot).
-- KEYS[1] job hash, KEYS[2] job's event stream; for a job submitted into a backlog,
-- KEYS[3] its tenant's backlog (list) and KEYS[4] the queue's backlog tenants (zset)
-- ARGV[1] result bytes of a job that never started, ARGV[2] its event bytes,
-- ARGV[3] ttl ms, ARGV[4] now ms,
-- ARGV[5] result bytes of a job whose earlier attempt started, ARGV[6] its event bytes,
-- ARGV[7] the tenant (with KEYS[3])
-- Returns the job's state after the call, or false for an unknown job.
local s = redis.call('HMGET', KEYS[1], 'state', 'started', 'backlog')
local st = s[1]
if not st then return false end
if st == 'DONE' or st == 'CANCELLED' then return st end
redis.call('HSET', KEYS[1], 'cancel', '1')
if st == 'QUEUED' then
  local result, event = ARGV[1], ARGV[2]
  if s[2] then result, event = ARGV[5], ARGV[6] end
  redis.call('HSET', KEYS[1], 'state', 'CANCELLED', 'result', result, 'finished_ms', ARGV[4])
  redis.call('XADD', KEYS[2], '*', 'e', event)
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
  redis.call('PEXPIRE', KEYS[2], ARGV[3])
  if s[3] and KEYS[3] and redis.call('LREM', KEYS[3], 1, s[3]) > 0
      and redis.call('LLEN', KEYS[3]) == 0 then
    redis.call('ZREM', KEYS[4], ARGV[7])
  end
  return 'CANCELLED'
end
return st
