-- Stores a job's final result and its last event, fenced by its attempt. The
-- result is the attempt's event number ARGV[7]; a worker that retries the write
-- after losing the reply is told that its own result is stored (so it goes on
-- to acknowledge the delivery) and nothing is written twice.
-- KEYS[1] job hash, KEYS[2] job's event stream
-- ARGV[1] attempt, ARGV[2] result bytes, ARGV[3] result event bytes,
-- ARGV[4] final state, ARGV[5] ttl ms, ARGV[6] now ms, ARGV[7] the event's number
-- Returns 1 when stored, 2 when this attempt had stored it already, 0 when the
-- job ended otherwise or another attempt holds it.
local s = redis.call('HMGET', KEYS[1], 'state', 'attempt', 'seq', 'completed')
if not s[1] then return 0 end
if s[1] == 'DONE' or s[1] == 'CANCELLED' then
  if s[4] == ARGV[1] and tonumber(s[3] or '0') >= tonumber(ARGV[7]) then return 2 end
  return 0
end
if tonumber(s[2]) ~= tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'state', ARGV[4], 'result', ARGV[2], 'finished_ms', ARGV[6],
  'completed', ARGV[1], 'seq', ARGV[7])
redis.call('XADD', KEYS[2], '*', 'e', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
redis.call('PEXPIRE', KEYS[2], ARGV[5])
return 1
