-- Admits and stores a new job, atomically: its idempotency key, its tenant's
-- quotas, admission control, the job's record, its QUEUED event and its place
-- in the queue, in one step. A retry with the same key and request gets the job
-- the key is bound to, whatever happened to the first reply; nothing else sees
-- a key without its job or a job without its key.
-- Enqueueing: while workers keep up (no entry of the jobs stream is waiting)
-- the job goes straight into the stream; otherwise it waits in its tenant's
-- backlog, which feed.lua drains into the stream one job at a time, taking
-- tenants in turn, so that one tenant's burst never starves another's job.
-- KEYS[1] job hash, KEYS[2] job's event stream, KEYS[3] jobs stream,
-- KEYS[4] backlog tenants (zset), KEYS[5] this tenant's backlog (list), KEYS[6] turn counter,
-- KEYS[7] the idempotency key's hash (the job hash again when there is no key),
-- KEYS[8] the tenant's active set (zset), KEYS[9] the tenant's submission bucket (hash)
-- ARGV[1] job id, ARGV[2] spec bytes, ARGV[3] language, ARGV[4] created ms,
-- ARGV[5] ttl ms of a job not started yet, ARGV[6] QUEUED event bytes, ARGV[7] tenant,
-- ARGV[8] worker group, ARGV[9] '1' with an idempotency key, ARGV[10] request fingerprint,
-- ARGV[11] the key's ttl ms, ARGV[12] most active jobs (0: none), ARGV[13] active set ttl ms,
-- ARGV[14] submissions per second (0: none), ARGV[15] burst, ARGV[16] '1' when admission control admits,
-- ARGV[17] W3C traceparent of the submission ("" for none), continued by the worker
-- Returns {1, job id} stored; {2, job id} the key's job (same request); {3, job id} the key's
-- job (another request); {4, ''} the key is held by an unfinished submission of an older
-- coordinator; {5, ms} over the rate, retry after ms; {6, n} n jobs active, the most;
-- {7, ''} refused by admission control.
if ARGV[9] == '1' then
  local held = redis.call('HMGET', KEYS[7], 'fp', 'job')
  if held[1] then
    if held[1] ~= ARGV[10] then return {3, held[2] or ''} end
    if not held[2] or held[2] == '' then return {4, ''} end
    return {2, held[2]}
  end
end
if ARGV[16] ~= '1' then return {7, ''} end

-- quotas: check both before taking from either, so a refusal costs the tenant nothing
local rate = tonumber(ARGV[14])
local tokens, now
if rate > 0 then
  local burst = tonumber(ARGV[15])
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000000 + tonumber(t[2])
  local b = redis.call('HMGET', KEYS[9], 'tokens', 'at')
  tokens = tonumber(b[1]) or burst
  local at = tonumber(b[2]) or now
  if now > at then tokens = math.min(burst, tokens + (now - at) * rate / 1000000) end
  if tokens < 1 then return {5, math.ceil((1 - tokens) * 1000 / rate)} end
end
local most = tonumber(ARGV[12])
if most > 0 then
  local n = redis.call('ZCARD', KEYS[8])
  if n >= most then return {6, n} end
end
if rate > 0 then
  redis.call('HSET', KEYS[9], 'tokens', string.format('%.6f', tokens - 1), 'at', string.format('%.0f', now))
  redis.call('PEXPIRE', KEYS[9], math.ceil(tonumber(ARGV[15]) * 1000 / rate) + 1000)
end
if most > 0 then
  redis.call('ZADD', KEYS[8], ARGV[4], 'job:' .. ARGV[1])
  redis.call('PEXPIRE', KEYS[8], ARGV[13])
end

redis.call('HSET', KEYS[1], 'spec', ARGV[2], 'state', 'QUEUED', 'attempt', 0,
  'language', ARGV[3], 'created_ms', ARGV[4], 'tenant', ARGV[7], 'traceparent', ARGV[17] or '')
redis.call('PEXPIRE', KEYS[1], ARGV[5])
redis.call('XADD', KEYS[2], '*', 'e', ARGV[6])
redis.call('PEXPIRE', KEYS[2], ARGV[5])
if ARGV[9] == '1' then
  redis.call('HSET', KEYS[7], 'fp', ARGV[10], 'job', ARGV[1])
  redis.call('PEXPIRE', KEYS[7], ARGV[11])
end

local function waiting_in_stream()
  if redis.call('EXISTS', KEYS[3]) == 0 then return 0 end
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
  return {1, ARGV[1]}
end
-- stamped by Redis's clock, which admission control compares it with (never a coordinator's)
local t = redis.call('TIME')
redis.call('RPUSH', KEYS[5], (tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)) .. ':' .. ARGV[1])
-- a tenant that joins the backlog takes the next turn, not a turn ahead of those waiting
redis.call('ZADD', KEYS[4], 'NX', tonumber(redis.call('GET', KEYS[6]) or '0'), ARGV[7])
return {1, ARGV[1]}
