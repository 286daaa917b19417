-- Renews a running delivery's lease: resets the idle time of its pending entry,
-- only while the caller's attempt still holds the job.
-- KEYS[1] job hash, KEYS[2] jobs stream; ARGV[1] attempt, ARGV[2] group, ARGV[3] consumer, ARGV[4] entry id,
-- ARGV[5] idle ms to set (0 renews; the lease releases the delivery to the next taker at once)
-- Returns 1 when renewed, 0 when the job is final or another attempt holds it.
local s = redis.call('HMGET', KEYS[1], 'state', 'attempt')
if not s[1] or s[1] == 'DONE' or s[1] == 'CANCELLED' then return 0 end
if tonumber(s[2]) ~= tonumber(ARGV[1]) then return 0 end
local claimed = redis.call('XCLAIM', KEYS[2], ARGV[2], ARGV[3], 0, ARGV[4], 'IDLE', ARGV[5], 'JUSTID')
if #claimed == 0 then return 0 end
-- a release (at shutdown) is remembered, so the next attempt can say why this one was abandoned
if tonumber(ARGV[5]) > 0 then redis.call('HSET', KEYS[1], 'released', ARGV[1]) end
return 1
