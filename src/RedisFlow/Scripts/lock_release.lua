-- Releases KEYS[1] only when it holds our token ARGV[1] (never another holder's lock), then wakes waiters with
-- a message on the channel ARGV[2] in the same atomic step, so no waiter can miss it between DEL and PUBLISH.
-- Reply: 1 released, 0 not ours (expired or taken by another).
if redis.call('GET', KEYS[1]) == ARGV[1] then
    redis.call('DEL', KEYS[1])
    redis.call('PUBLISH', ARGV[2], '1')
    return 1
end
return 0
