-- One look at a queue for a worker, in one round trip: take over an entry whose
-- worker stopped renewing it, else feed the backlog, then read one new entry.
-- 1. With ARGV[5], takes over (XAUTOCLAIM) one entry idle for ARGV[5] ms, looking
--    on from cursor ARGV[6] (XAUTOCLAIM looks at a few pending entries per call).
-- 2. Moves waiting jobs from the tenants' backlogs into the jobs stream while
--    fewer than ARGV[2] stream entries wait for a worker: each move takes the
--    tenant whose turn is oldest, then gives it a new turn at the end.
-- 3. With ARGV[7] = '1', reads one new entry for the consumer without waiting.
-- KEYS[1] jobs stream, KEYS[2] backlog tenants (zset), KEYS[3] turn counter
-- ARGV[1] worker group, ARGV[2] stream entries to keep waiting, ARGV[3] backlog key prefix,
-- ARGV[4] consumer, ARGV[5] idle ms of an entry to take over ("" for none), ARGV[6] cursor,
-- ARGV[7] '1' to read a new entry
-- Returns {jobs moved, entry id, job id, 1 if taken over else 0, next cursor}, with ''
-- for an entry that was not found (or a cursor not used); an entry id 'ERR' and the
-- message for a read that failed (NOGROUP: the group is gone). A read that found no new
-- entry adds the id of the stream's last entry ('0-0' for none), so that the worker's
-- wait for new entries starts from what this look saw rather than from its own later start.
local function job_of(fields)
  if not fields then return '' end
  for i = 1, #fields, 2 do
    if fields[i] == 'job' then return fields[i + 1] end
  end
  return ''
end

local cursor = ''
if ARGV[5] ~= '' then
  local taken = redis.pcall('XAUTOCLAIM', KEYS[1], ARGV[1], ARGV[4], ARGV[5], ARGV[6], 'COUNT', 1)
  if type(taken) == 'table' and taken.err then return {0, 'ERR', taken.err, 0, ''} end
  cursor = taken[1]
  local entry = taken[2][1]
  if entry then return {0, entry[1], job_of(entry[2]), 1, cursor} end
end

local moved = 0
local target = tonumber(ARGV[2])
local function waiting()
  if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
  for _, g in ipairs(redis.call('XINFO', 'GROUPS', KEYS[1])) do
    local info = {}
    for i = 1, #g, 2 do info[g[i]] = g[i + 1] end
    if info['name'] == ARGV[1] then
      return #redis.call('XRANGE', KEYS[1], '(' .. info['last-delivered-id'], '+', 'COUNT', target)
    end
  end
  return 0
end
while waiting() < target do
  local next = redis.call('ZRANGE', KEYS[2], 0, 0)
  if #next == 0 then break end
  local tenant = next[1]
  local list = ARGV[3] .. tenant
  local item = redis.call('LPOP', list)
  if item then
    local job = string.sub(item, string.find(item, ':', 1, true) + 1)
    redis.call('XADD', KEYS[1], '*', 'job', job)
    moved = moved + 1
  end
  if redis.call('LLEN', list) == 0 then
    redis.call('ZREM', KEYS[2], tenant)
  else
    redis.call('ZADD', KEYS[2], redis.call('INCR', KEYS[3]), tenant)
    redis.call('PEXPIRE', KEYS[3], 86400000)
  end
end
if ARGV[7] ~= '1' then return {moved, '', '', 0, cursor} end
local read = redis.pcall('XREADGROUP', 'GROUP', ARGV[1], ARGV[4], 'COUNT', 1, 'STREAMS', KEYS[1], '>')
if type(read) == 'table' and read.err then return {moved, 'ERR', read.err, 0, cursor} end
if not read or not read[1] or not read[1][2][1] then
  local last = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
  return {moved, '', '', 0, cursor, last[1] and last[1][1] or '0-0'}
end
local entry = read[1][2][1]
return {moved, entry[1], job_of(entry[2]), 0, cursor}
