-- Turns a reservation in a tenant's active set into the job it became.
-- KEYS[1] the tenant's active set
-- ARGV[1] reservation member, ARGV[2] job member, ARGV[3] now ms, ARGV[4] ttl ms
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return 1
