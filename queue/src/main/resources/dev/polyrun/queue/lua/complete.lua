-- Stores a job's final result and its last event, fenced by its attempt.
-- KEYS[1] job hash, KEYS[2] job's event stream
-- ARGV[1] attempt (or -1 for any), ARGV[2] result bytes, ARGV[3] result event bytes,
-- ARGV[4] final state, ARGV[5] ttl ms, ARGV[6] now ms
-- Returns 1 when stored, 0 when the job is already final or the attempt no longer holds.
local s = redis.call('HMGET', KEYS[1], 'state', 'attempt')
if not s[1] or s[1] == 'DONE' or s[1] == 'CANCELLED' then return 0 end
if tonumber(ARGV[1]) >= 0 and tonumber(s[2]) ~= tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'state', ARGV[4], 'result', ARGV[2], 'finished_ms', ARGV[6])
redis.call('XADD', KEYS[2], '*', 'e', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
redis.call('PEXPIRE', KEYS[2], ARGV[5])
return 1
