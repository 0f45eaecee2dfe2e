-- Deletes KEYS[1] only when it holds ARGV[1]: the owner-checked delete behind DeleteIfEqualAsync and lock release.
if redis.call('GET', KEYS[1]) == ARGV[1] then
    return redis.call('DEL', KEYS[1])
end
return 0
