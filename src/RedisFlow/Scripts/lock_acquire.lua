-- Takes the lock KEYS[1] for the token ARGV[1] with a lease of ARGV[2] ms, and on success issues the next
-- fencing token from the counter KEYS[2] (same hash slot) in the same atomic step.
-- The key holding our own token counts as free: that is the seed's "delete my own lock first", and it makes a
-- retry after a lost reply safe (it only skips a fencing number, which stays strictly increasing).
-- Waiters make the hand-over fair: KEYS[3] holds the registered waiters' tokens by arrival (server microseconds),
-- KEYS[4] the same tokens by registration deadline (ms). A free lock goes to the longest-waiting live waiter, so a
-- releaser asking again at once queues behind those already waiting instead of taking its lock back. ARGV[3] > 0
-- registers (or refreshes) a refused caller as a waiter for that many ms; registrations not refreshed in time are
-- dropped. Members are removed by name (ZREM): two waiters may share a score (a deadline in the same millisecond).
-- Reply: {1, fencing token} when taken; {0, PTTL of the holder} when held by another token; {0, ms until the first
-- waiter registration runs out} when free but promised to an earlier waiter.
local now = redis.call('TIME')
local now_ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)

-- The longest-waiting waiter whose registration is still live; dead registrations are dropped on the way.
local function live_head()
    redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', now_ms)
    local live = {}
    for _, token in ipairs(redis.call('ZRANGEBYSCORE', KEYS[4], '-inf', '+inf')) do
        live[token] = true
    end
    for _, token in ipairs(redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', '+inf')) do
        if live[token] then
            return token
        end
        redis.call('ZREM', KEYS[3], token)
    end
    return nil
end

local function register()
    local ttl = tonumber(ARGV[3])
    if ttl > 0 then
        redis.call('ZADD', KEYS[3], 'NX', tonumber(now[1]) * 1000000 + tonumber(now[2]), ARGV[1])
        redis.call('ZADD', KEYS[4], now_ms + ttl, ARGV[1])
        if redis.call('PTTL', KEYS[3]) < ttl then
            redis.call('PEXPIRE', KEYS[3], ttl)
            redis.call('PEXPIRE', KEYS[4], ttl)
        end
    end
end

local current = redis.call('GET', KEYS[1])
if current == false or current == ARGV[1] then
    local waiting = redis.call('ZCARD', KEYS[3]) > 0
    if waiting and current == false then
        local head = live_head()
        if head ~= nil and head ~= ARGV[1] then
            register()
            -- The first registration to run out (the head's, or an earlier one) bounds the caller's next poll.
            local first = redis.call('ZRANGEBYSCORE', KEYS[4], '-inf', '+inf', 'WITHSCORES', 'LIMIT', 0, 1)
            local left = first[2] and (tonumber(first[2]) - now_ms) or 0
            return {0, math.max(0, left)}
        end
    end

    redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
    if waiting then
        redis.call('ZREM', KEYS[3], ARGV[1])
        redis.call('ZREM', KEYS[4], ARGV[1])
    end
    local fence = redis.call('INCR', KEYS[2])
    -- A promoted replica can lack the last increments (replication is asynchronous), so a token is never less than
    -- the server clock in microseconds: tokens keep increasing across a failover unless the clocks of the old and
    -- new primary disagree by more than the outage lasted.
    local floor = tonumber(now[1]) * 1000000 + tonumber(now[2])
    if fence < floor then
        redis.call('SET', KEYS[2], string.format('%d', floor))
        fence = floor
    end
    return {1, fence}
end
register()
return {0, redis.call('PTTL', KEYS[1])}
