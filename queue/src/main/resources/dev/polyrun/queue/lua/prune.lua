-- Deletes the group's consumers that hold no pending entry and have not read
-- for ARGV[2] ms (workers that stopped or died, their jobs since reclaimed),
-- and the consumer ARGV[3] when it holds nothing (a worker that is stopping).
-- KEYS[1] jobs stream; ARGV[1] group, ARGV[2] idle ms, ARGV[3] consumer or ''
-- Returns the number of consumers deleted.
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local deleted = 0
for _, c in ipairs(redis.call('XINFO', 'CONSUMERS', KEYS[1], ARGV[1])) do
  local info = {}
  for i = 1, #c, 2 do info[c[i]] = c[i + 1] end
  local stale = tonumber(info['idle']) > tonumber(ARGV[2])
  if tonumber(info['pending']) == 0 and (stale or info['name'] == ARGV[3]) then
    redis.call('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], info['name'])
    deleted = deleted + 1
  end
end
return deleted
