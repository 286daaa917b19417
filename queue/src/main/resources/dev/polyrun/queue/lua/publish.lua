-- Appends event number ARGV[5] of a running attempt, fenced by the attempt. The
-- worker numbers its events 1, 2, ... within the attempt and retries a write
-- whose reply it lost; a number this attempt already wrote is dropped here, so
-- a retry never writes an event twice.
-- KEYS[1] job hash, KEYS[2] job's event stream
-- ARGV[1] attempt, ARGV[2] event bytes, ARGV[3] new state or '', ARGV[4] ttl ms
-- (renewed on a state change), ARGV[5] the event's number within the attempt
-- Returns 1 when written, 2 when this attempt had written that number already,
-- 0 when the job is final or another attempt holds it.
local s = redis.call('HMGET', KEYS[1], 'state', 'attempt', 'seq')
if not s[1] or s[1] == 'DONE' or s[1] == 'CANCELLED' then return 0 end
if tonumber(s[2]) ~= tonumber(ARGV[1]) then return 0 end
local seq = tonumber(ARGV[5])
if seq <= tonumber(s[3] or '0') then return 2 end
redis.call('HSET', KEYS[1], 'seq', ARGV[5])
if ARGV[3] ~= '' then
  -- 'started' tells a later cancellation that the job did run
  redis.call('HSET', KEYS[1], 'state', ARGV[3], 'started', ARGV[1])
  redis.call('PEXPIRE', KEYS[1], ARGV[4])
  redis.call('PEXPIRE', KEYS[2], ARGV[4])
end
redis.call('XADD', KEYS[2], '*', 'e', ARGV[2])
return 1
