-- Acknowledges and deletes a delivery's entry once its job is final, so the jobs
-- stream holds only waiting and running jobs. A delivery of a job that is not
-- final is never acknowledged.
-- KEYS[1] job hash, KEYS[2] jobs stream; ARGV[1] group, ARGV[2] entry id
local st = redis.call('HGET', KEYS[1], 'state')
if st and st ~= 'DONE' and st ~= 'CANCELLED' then return 0 end
redis.call('XACK', KEYS[2], ARGV[1], ARGV[2])
redis.call('XDEL', KEYS[2], ARGV[2])
return 1
