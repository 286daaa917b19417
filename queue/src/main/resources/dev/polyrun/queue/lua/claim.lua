-- Starts a new delivery attempt of a job taken from the jobs stream (new, or
-- reclaimed from a worker that stopped renewing its lease).
-- KEYS[1] job hash, KEYS[2] job's event stream, KEYS[3] jobs stream, KEYS[4] dead-letter stream
-- ARGV[1] worker id, ARGV[2] max deliveries, ARGV[3] entry id, ARGV[4] group,
-- ARGV[5] dead-letter result bytes, ARGV[6] its event bytes, ARGV[7] ttl ms, ARGV[8] now ms
-- Returns {attempt, spec} for a job to run; {0, state} for a job already final
-- (its entry is acknowledged); {-1} for an expired record (acknowledged);
-- {-2, attempts} for a job moved to the dead-letter stream.
local st = redis.call('HGET', KEYS[1], 'state')
if not st then
  redis.call('XACK', KEYS[3], ARGV[4], ARGV[3])
  redis.call('XDEL', KEYS[3], ARGV[3])
  return {-1}
end
if st == 'DONE' or st == 'CANCELLED' then
  redis.call('XACK', KEYS[3], ARGV[4], ARGV[3])
  redis.call('XDEL', KEYS[3], ARGV[3])
  return {0, st}
end
local attempts = tonumber(redis.call('HGET', KEYS[1], 'attempt') or '0')
if attempts >= tonumber(ARGV[2]) then
  redis.call('HSET', KEYS[1], 'state', 'DONE', 'result', ARGV[5], 'finished_ms', ARGV[8])
  redis.call('XADD', KEYS[2], '*', 'e', ARGV[6])
  redis.call('PEXPIRE', KEYS[1], ARGV[7])
  redis.call('PEXPIRE', KEYS[2], ARGV[7])
  local job = string.match(KEYS[1], '{(.*)}$')
  redis.call('XADD', KEYS[4], 'MAXLEN', '~', 10000, '*', 'job', job, 'attempts', attempts,
    'last_worker', redis.call('HGET', KEYS[1], 'worker') or '')
  redis.call('XACK', KEYS[3], ARGV[4], ARGV[3])
  redis.call('XDEL', KEYS[3], ARGV[3])
  return {-2, attempts}
end
local attempt = redis.call('HINCRBY', KEYS[1], 'attempt', 1)
redis.call('HSET', KEYS[1], 'worker', ARGV[1], 'state', 'QUEUED')
-- a job keeps its record for a whole retention period after it starts, however long it waited
redis.call('PEXPIRE', KEYS[1], ARGV[7])
redis.call('PEXPIRE', KEYS[2], ARGV[7])
return {attempt, redis.call('HGET', KEYS[1], 'spec')}
