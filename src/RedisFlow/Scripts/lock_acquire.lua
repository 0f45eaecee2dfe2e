-- Takes the lock KEYS[1] for the token ARGV[1] with a lease of ARGV[2] ms, and on success issues the next
-- fencing token from the counter KEYS[2] (same hash slot) in the same atomic step.
-- The key holding our own token counts as free: that is the seed's "delete my own lock first", and it makes a
-- retry after a lost reply safe (it only skips a fencing number, which stays strictly increasing).
-- Reply: {1, fencing token} when taken, {0, PTTL of the holder} when held by another token.
local current = redis.call('GET', KEYS[1])
if current == false or current == ARGV[1] then
    redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
    return {1, redis.call('INCR', KEYS[2])}
end
return {0, redis.call('PTTL', KEYS[1])}
