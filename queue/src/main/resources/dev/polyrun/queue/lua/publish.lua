-- Appends an event of a running job, fenced by its attempt.
-- KEYS[1] job hash, KEYS[2] job's event stream
-- ARGV[1] attempt, ARGV[2] event bytes, ARGV[3] new state or '', ARGV[4] ttl ms (renewed on a state change)
-- Returns the event's stream id, or false when the attempt no longer holds.
local s = redis.call('HMGET', KEYS[1], 'state', 'attempt')
if not s[1] or s[1] == 'DONE' or s[1] == 'CANCELLED' then return false end
if tonumber(s[2]) ~= tonumber(ARGV[1]) then return false end
if ARGV[3] ~= '' then
  redis.call('HSET', KEYS[1], 'state', ARGV[3])
  redis.call('PEXPIRE', KEYS[1], ARGV[4])
  redis.call('PEXPIRE', KEYS[2], ARGV[4])
end
return redis.call('XADD', KEYS[2], '*', 'e', ARGV[2])
