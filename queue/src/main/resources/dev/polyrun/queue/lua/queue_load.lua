-- Figures for admission control, read at one instant: jobs waiting for a
-- worker, jobs delivered but not acknowledged, the oldest waiting entry.
-- KEYS[1] jobs stream
-- ARGV[1] worker group, ARGV[2] how far to count waiting entries when Redis
-- cannot say (the group's lag is unknown after entries were deleted)
-- Returns {waiting, pending, oldest waiting entry id or '', Redis time ms}.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if redis.call('EXISTS', KEYS[1]) == 0 then return {0, 0, '', now} end
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
    return {waiting, info['pending'], oldest, now}
  end
end
return {0, 0, '', now}
