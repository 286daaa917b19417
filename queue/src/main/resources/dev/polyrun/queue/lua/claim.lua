-- Starts a new delivery attempt of a job taken from the jobs stream (new, or
-- reclaimed from a worker that stopped renewing its lease).
-- KEYS[1] job hash, KEYS[2] job's event stream, KEYS[3] jobs stream, KEYS[4] dead-letter stream
-- ARGV[1] worker id, ARGV[2] max deliveries, ARGV[3] entry id, ARGV[4] group,
-- ARGV[5] dead-letter result bytes, ARGV[6] its event bytes, ARGV[7] ttl ms, ARGV[8] now ms,
-- ARGV[9] why an attempt is abandoned when its lease lapsed, ARGV[10] when its worker released it
-- Returns {attempt, spec} for a job to run; {0, state} for a job already final
-- (its entry is acknowledged); {-1} for an expired record (acknowledged);
-- {-2, attempts} for a job moved to the dead-letter stream.
-- A JobEvent {attempt = new, attempt_abandoned = {abandoned, new, reason}} in
-- protobuf's wire format (field 9 varint; field 8 message of fields 1, 2 varint
-- and 3 string), written here so that the marker is in the stream atomically
-- with the new attempt.
local function varint(n)
  local out = {}
  repeat
    local b = n % 128
    n = math.floor(n / 128)
    if n > 0 then b = b + 128 end
    out[#out + 1] = string.char(b)
  until n == 0
  return table.concat(out)
end
local function abandoned_event(abandoned, new, reason)
  local body = '\8' .. varint(abandoned) .. '\16' .. varint(new) .. '\26' .. varint(#reason) .. reason
  return '\72' .. varint(new) .. '\66' .. varint(#body) .. body
end

local st = redis.call('HGET', KEYS[1], 'state')
if not st then
  redis.call('XACK', KEYS[3], ARGV[4], ARGV[3])
  redis.call('XDEL', KEYS[3], ARGV[3])
  return {-1}
end
if st == 'DONE' or st == 'CANCELLED' then
  redis.call('XACK', KEYS[3], ARGV[4], ARGV[3])
  redis.call('XDEL', KEYS[3], ARGV[3])
  return {0, st}
end
local attempts = tonumber(redis.call('HGET', KEYS[1], 'attempt') or '0')
if attempts >= tonumber(ARGV[2]) then
  redis.call('HSET', KEYS[1], 'state', 'DONE', 'result', ARGV[5], 'finished_ms', ARGV[8])
  redis.call('XADD', KEYS[2], '*', 'e', ARGV[6])
  redis.call('PEXPIRE', KEYS[1], ARGV[7])
  redis.call('PEXPIRE', KEYS[2], ARGV[7])
  local job = string.match(KEYS[1], ':job:(.*)$')
  redis.call('XADD', KEYS[4], 'MAXLEN', '~', 10000, '*', 'job', job, 'attempts', attempts,
    'last_worker', redis.call('HGET', KEYS[1], 'worker') or '')
  redis.call('XACK', KEYS[3], ARGV[4], ARGV[3])
  redis.call('XDEL', KEYS[3], ARGV[3])
  return {-2, attempts}
end
local attempt = redis.call('HINCRBY', KEYS[1], 'attempt', 1)
local before = redis.call('HMGET', KEYS[1], 'seq', 'released')
if tonumber(before[1] or '0') > 0 then
  -- the attempt before wrote events: tell a client following the stream that they are void
  local reason = ARGV[9]
  if before[2] == tostring(attempt - 1) then reason = ARGV[10] end
  redis.call('XADD', KEYS[2], '*', 'e', abandoned_event(attempt - 1, attempt, reason))
end
redis.call('HSET', KEYS[1], 'worker', ARGV[1], 'state', 'QUEUED', 'seq', 0)
-- a job keeps its record for a whole retention period after it starts, however long it waited
redis.call('PEXPIRE', KEYS[1], ARGV[7])
redis.call('PEXPIRE', KEYS[2], ARGV[7])
return {attempt, redis.call('HGET', KEYS[1], 'spec')}
