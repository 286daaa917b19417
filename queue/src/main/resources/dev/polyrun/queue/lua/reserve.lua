-- The first half of a submission, in the tenant's slot: its idempotency key and
-- its quotas. A retry with the same key and request gets the job the key is bound
-- to, whatever happened to the first reply. The job itself is stored next, by
-- create.lua in its queue's slot (Redis Cluster cannot run one script over both);
-- the key is then marked 'stored'. A coordinator that stops between the two
-- leaves a key bound to a job not stored yet: the retry that finds the key
-- unmarked stores the job (create.lua does nothing when the record exists), so a
-- key never ends bound to nothing. Without a key the reservation is only the
-- quota's count, which reconciliation drops once it is a minute old without a record.
-- KEYS[1] the idempotency key's hash (the active set again when there is no key),
-- KEYS[2] the tenant's active set (zset), KEYS[3] the tenant's submission bucket (hash)
-- ARGV[1] job id, ARGV[2] created ms, ARGV[3] '1' with an idempotency key,
-- ARGV[4] request fingerprint, ARGV[5] the key's ttl ms, ARGV[6] most active jobs (0: none),
-- ARGV[7] active set ttl ms, ARGV[8] submissions per second (0: none), ARGV[9] burst,
-- ARGV[10] '1' when admission control admits
-- Returns {1, job id} reserved; {2, job id, '1' when stored} the key's job (same request);
-- {3, job id} the key's job (another request); {4, ''} the key is held by an unfinished
-- submission of an older coordinator; {5, ms} over the rate, retry after ms;
-- {6, n} n jobs active, the most; {7, ''} refused by admission control.
if ARGV[3] == '1' then
  local held = redis.call('HMGET', KEYS[1], 'fp', 'job', 'stored')
  if held[1] then
    if held[1] ~= ARGV[4] then return {3, held[2] or ''} end
    if not held[2] or held[2] == '' then return {4, ''} end
    return {2, held[2], held[3] or ''}
  end
end
if ARGV[10] ~= '1' then return {7, ''} end

-- quotas: check both before taking from either, so a refusal costs the tenant nothing
local rate = tonumber(ARGV[8])
local tokens, now
if rate > 0 then
  local burst = tonumber(ARGV[9])
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000000 + tonumber(t[2])
  local b = redis.call('HMGET', KEYS[3], 'tokens', 'at')
  tokens = tonumber(b[1]) or burst
  local at = tonumber(b[2]) or now
  if now > at then tokens = math.min(burst, tokens + (now - at) * rate / 1000000) end
  if tokens < 1 then return {5, math.ceil((1 - tokens) * 1000 / rate)} end
end
local most = tonumber(ARGV[6])
if most > 0 then
  local n = redis.call('ZCARD', KEYS[2])
  if n >= most then return {6, n} end
end
if rate > 0 then
  redis.call('HSET', KEYS[3], 'tokens', string.format('%.6f', tokens - 1), 'at', string.format('%.0f', now))
  redis.call('PEXPIRE', KEYS[3], math.ceil(tonumber(ARGV[9]) * 1000 / rate) + 1000)
end
if most > 0 then
  redis.call('ZADD', KEYS[2], ARGV[2], 'job:' .. ARGV[1])
  redis.call('PEXPIRE', KEYS[2], ARGV[7])
end
if ARGV[3] == '1' then
  redis.call('HSET', KEYS[1], 'fp', ARGV[4], 'job', ARGV[1])
  redis.call('PEXPIRE', KEYS[1], ARGV[5])
end
return {1, ARGV[1]}
