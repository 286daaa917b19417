-- The second half of a submission, in the queue's slot: stores a job reserved by
-- reserve.lua (its record, its QUEUED event, its place in the queue), once: a job
-- whose record exists is left as it is (a retry of a submission whose coordinator
-- stopped between the halves).
-- Enqueueing: while workers keep up (no entry of the jobs stream is waiting)
-- the job goes straight into the stream; otherwise it waits in its tenant's
-- backlog, which poll.lua drains into the stream one job at a time, taking
-- tenants in turn, so that one tenant's burst never starves another's job.
-- KEYS[1] job hash, KEYS[2] job's event stream, KEYS[3] jobs stream,
-- KEYS[4] backlog tenants (zset), KEYS[5] this tenant's backlog (list), KEYS[6] turn counter
-- ARGV[1] job id, ARGV[2] spec bytes, ARGV[3] language, ARGV[4] created ms,
-- ARGV[5] ttl ms of a job not started yet, ARGV[6] QUEUED event bytes, ARGV[7] tenant,
-- ARGV[8] worker group, ARGV[9] W3C traceparent of the submission ("" for none),
-- ARGV[10] the queue's name
-- Returns 1 when stored now, 0 when the job was stored before.
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'spec', ARGV[2], 'state', 'QUEUED', 'attempt', 0,
  'language', ARGV[3], 'created_ms', ARGV[4], 'tenant', ARGV[7], 'traceparent', ARGV[9] or '', 'queue', ARGV[10])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
redis.call('XADD', KEYS[2], '*', 'e', ARGV[6])
redis.call('PEXPIRE', KEYS[2], ARGV[5])

-- the queue's first job creates its stream and worker group, so that what waits is counted
if redis.call('EXISTS', KEYS[3]) == 0 then
  redis.call('XGROUP', 'CREATE', KEYS[3], ARGV[8], '0', 'MKSTREAM')
end

local function waiting_in_stream()
  for _, g in ipairs(redis.call('XINFO', 'GROUPS', KEYS[3])) do
    local info = {}
    for i = 1, #g, 2 do info[g[i]] = g[i + 1] end
    if info['name'] == ARGV[8] then
      return #redis.call('XRANGE', KEYS[3], '(' .. info['last-delivered-id'], '+', 'COUNT', 1)
    end
  end
  return 0
end

if redis.call('ZCARD', KEYS[4]) == 0 and waiting_in_stream() == 0 then
  redis.call('XADD', KEYS[3], '*', 'job', ARGV[1])
  return 1
end
-- stamped by Redis's clock, which admission control compares it with (never a coordinator's)
local t = redis.call('TIME')
local item = (tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)) .. ':' .. ARGV[1]
redis.call('RPUSH', KEYS[5], item)
-- kept in the record, so that a cancel removes the job from its backlog at once
redis.call('HSET', KEYS[1], 'backlog', item)
-- a tenant that joins the backlog takes the next turn, not a turn ahead of those waiting
redis.call('ZADD', KEYS[4], 'NX', tonumber(redis.call('GET', KEYS[6]) or '0'), ARGV[7])
return 1
