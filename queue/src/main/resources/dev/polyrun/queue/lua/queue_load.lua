-- Figures for admission control, read at one instant: jobs waiting for a
-- worker, jobs delivered but not acknowledged, the oldest waiting entry.
-- Jobs waiting in the tenants' backlogs count as waiting too.
-- KEYS[1] jobs stream, KEYS[2] backlog tenants (zset)
-- ARGV[1] worker group, ARGV[2] how far to count waiting entries when Redis
-- cannot say (the group's lag is unknown after entries were deleted),
-- ARGV[3] backlog key prefix
-- Returns {waiting, pending, oldest waiting entry id or '', Redis time ms}.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local backlog, oldestBacklog = 0, nil
for _, tenant in ipairs(redis.call('ZRANGE', KEYS[2], 0, -1)) do
  local list = ARGV[3] .. tenant
  backlog = backlog + redis.call('LLEN', list)
  local first = redis.call('LINDEX', list, 0)
  if first then
    local ms = tonumber(string.sub(first, 1, string.find(first, ':', 1, true) - 1))
    if not oldestBacklog or ms < oldestBacklog then oldestBacklog = ms end
  end
end
local function with_backlog(waiting, pending, oldest)
  if oldestBacklog then
    local streamMs = oldest ~= '' and tonumber(string.sub(oldest, 1, string.find(oldest, '-', 1, true) - 1)) or nil
    if not streamMs or oldestBacklog < streamMs then oldest = oldestBacklog .. '-0' end
  end
  return {waiting + backlog, pending, oldest, now}
end
if redis.call('EXISTS', KEYS[1]) == 0 then return with_backlog(0, 0, '') end
for _, g in ipairs(redis.call('XINFO', 'GROUPS', KEYS[1])) do
  local info = {}
  for i = 1, #g, 2 do info[g[i]] = g[i + 1] end
  if info['name'] == ARGV[1] then
    local after = '(' .. info['last-delivered-id']
    local first = redis.call('XRANGE', KEYS[1], after, '+', 'COUNT', 1)
    local oldest = ''
    if #first > 0 then oldest = first[1][1] end
    local waiting = info['lag']
    if not waiting then
      waiting = #redis.call('XRANGE', KEYS[1], after, '+', 'COUNT', tonumber(ARGV[2]))
    end
    return with_backlog(waiting, info['pending'], oldest)
  end
end
return with_backlog(0, 0, '')
