-- Reserves one of a tenant's active-job places, unless all are taken.
-- KEYS[1] the tenant's active set (sorted set: member -> ms when added)
-- ARGV[1] most members, ARGV[2] reservation member, ARGV[3] now ms, ARGV[4] ttl ms
-- Returns -1 when reserved, else the number of members (all places taken).
local n = redis.call('ZCARD', KEYS[1])
if n >= tonumber(ARGV[1]) then return n end
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return -1
