-- Moves waiting jobs from the tenants' backlogs into the jobs stream while
-- fewer than ARGV[2] stream entries wait for a worker: each move takes the
-- tenant whose turn is oldest, then gives it a new turn at the end.
-- KEYS[1] jobs stream, KEYS[2] backlog tenants (zset), KEYS[3] turn counter
-- ARGV[1] worker group, ARGV[2] stream entries to keep waiting, ARGV[3] backlog key prefix
-- Returns the number of jobs moved.
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
return moved
