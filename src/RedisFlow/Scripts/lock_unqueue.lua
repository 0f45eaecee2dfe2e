-- A waiter ARGV[1] gives up (timed out or cancelled) without the lock: it leaves the waiter registry (KEYS[3],
-- KEYS[4], see lock_acquire.lua), and if the lock KEYS[1] is free meanwhile, the next live waiter's token is
-- published on the channel ARGV[2]: the release that promised the lock to the leaver woke nobody else.
-- Reply: 1 when it was registered, 0 otherwise.
local was = redis.call('ZREM', KEYS[3], ARGV[1])
redis.call('ZREM', KEYS[4], ARGV[1])
if was == 1 and redis.call('EXISTS', KEYS[1]) == 0 then
    local now = redis.call('TIME')
    local now_ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
    local live = {}
    for _, token in ipairs(redis.call('ZRANGEBYSCORE', KEYS[4], now_ms, '+inf')) do
        live[token] = true
    end
    for _, token in ipairs(redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', '+inf')) do
        if live[token] then
            redis.call('PUBLISH', ARGV[2], token)
            break
        end
    end
end
return was
