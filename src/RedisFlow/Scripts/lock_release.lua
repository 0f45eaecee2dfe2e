-- Releases KEYS[1] only when it holds our token ARGV[1] (never another holder's lock). When someone waits
-- (KEYS[3]/KEYS[4], see lock_acquire.lua), the longest-waiting live waiter's token is published on the channel
-- ARGV[2] in the same atomic step, so it cannot miss the release; when no waiter is registered but a process has
-- just started listening (the marker KEYS[5]), '1' is published (any waiter may try); otherwise nothing is.
-- Reply: 1 released, 0 not ours (expired or taken by another).
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
    return 0
end
redis.call('DEL', KEYS[1])
-- The common case, nobody waiting and nobody just started listening, costs one EXISTS for both.
local present = redis.call('EXISTS', KEYS[3], KEYS[5])
if present == 0 then
    return 1
end
local published = false
if redis.call('ZCARD', KEYS[3]) > 0 then
    local now = redis.call('TIME')
    local now_ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
    redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', now_ms)
    local live = {}
    for _, token in ipairs(redis.call('ZRANGEBYSCORE', KEYS[4], '-inf', '+inf')) do
        live[token] = true
    end
    for _, token in ipairs(redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', '+inf')) do
        if live[token] then
            redis.call('PUBLISH', ARGV[2], token)
            published = true
            break
        end
        redis.call('ZREM', KEYS[3], token)
    end
end
if not published and redis.call('EXISTS', KEYS[5]) == 1 then
    redis.call('PUBLISH', ARGV[2], '1')
end
return 1
