-- Takes the lock KEYS[1] for the token ARGV[1] with a lease of ARGV[2] ms, and on success issues the next
-- fencing token from the counter KEYS[2] (same hash slot) in the same atomic step.
-- The key holding our own token counts as free: that is the seed's "delete my own lock first", and it makes a
-- retry after a lost reply safe (it only skips a fencing number, which stays strictly increasing).
-- Reply: {1, fencing token} when taken, {0, PTTL of the holder} when held by another token.
local current = redis.call('GET', KEYS[1])
if current == false or current == ARGV[1] then
    redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
    local fence = redis.call('INCR', KEYS[2])
    -- A promoted replica can lack the last increments (replication is asynchronous), so a token is never less than
    -- the server clock in microseconds: tokens keep increasing across a failover unless the clocks of the old and
    -- new primary disagree by more than the outage lasted.
    local now = redis.call('TIME')
    local floor = tonumber(now[1]) * 1000000 + tonumber(now[2])
    if fence < floor then
        redis.call('SET', KEYS[2], string.format('%d', floor))
        fence = floor
    end
    return {1, fence}
end
return {0, redis.call('PTTL', KEYS[1])}
