-- Uncounts a job that has ended from its tenant's active jobs. A ZREM: however
-- often a job's end is reported, it is uncounted once. A job that has not ended
-- stays counted, whoever asks.
-- KEYS[1] job hash, KEYS[2] the tenant's active set; ARGV[1] the job's member
-- Returns 1 when the job was uncounted now, else 0.
local st = redis.call('HGET', KEYS[1], 'state')
if st and st ~= 'DONE' and st ~= 'CANCELLED' then return 0 end
return redis.call('ZREM', KEYS[2], ARGV[1])
