-- Stores a new job and enqueues it, atomically.
-- KEYS[1] job hash, KEYS[2] job's event stream, KEYS[3] jobs stream
-- ARGV[1] job id, ARGV[2] spec bytes, ARGV[3] language, ARGV[4] created ms,
-- ARGV[5] ttl ms, ARGV[6] QUEUED event bytes, ARGV[7] tenant
redis.call('HSET', KEYS[1], 'spec', ARGV[2], 'state', 'QUEUED', 'attempt', 0,
  'language', ARGV[3], 'created_ms', ARGV[4], 'tenant', ARGV[7])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
redis.call('XADD', KEYS[2], '*', 'e', ARGV[6])
redis.call('PEXPIRE', KEYS[2], ARGV[5])
return redis.call('XADD', KEYS[3], '*', 'job', ARGV[1])
