-- Starts a new delivery attempt of a job taken from the jobs stream.
-- KEYS[1] job hash; ARGV[1] worker id
-- Returns {attempt, spec} for a job to run, {0, state} for a job that is
-- already final, {-1} for a job whose record has expired.
local st = redis.call('HGET', KEYS[1], 'state')
if not st then return {-1} end
if st == 'DONE' or st == 'CANCELLED' then return {0, st} end
local attempt = redis.call('HINCRBY', KEYS[1], 'attempt', 1)
redis.call('HSET', KEYS[1], 'worker', ARGV[1])
return {attempt, redis.call('HGET', KEYS[1], 'spec')}
