-- Renews the lease of KEYS[1] to ARGV[2] ms, only while it still holds our token ARGV[1], so a holder whose lease
-- has already passed to another can never extend the new holder's lock. ARGV[2] = '0' only checks ownership.
-- Reply: 1 still ours, 0 gone or taken by another.
if redis.call('GET', KEYS[1]) == ARGV[1] then
    if ARGV[2] ~= '0' then
        redis.call('PEXPIRE', KEYS[1], ARGV[2])
    end
    return 1
end
return 0
