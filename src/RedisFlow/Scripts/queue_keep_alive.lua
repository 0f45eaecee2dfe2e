-- Resets the idle time of entries a consumer is still handling (XCLAIM to itself with JUSTID, which does not
-- count a delivery), so a handler that runs longer than the claim idle time is not claimed by another worker.
-- Only entries this consumer still owns are touched: one already claimed elsewhere is left to its new owner.
-- KEYS[1] queue stream. ARGV[1] group, ARGV[2] consumer, ARGV[3..] entry ids. Returns the ids no longer owned.
local lost = {}
for i = 3, #ARGV do
    local pending = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[i], ARGV[i], 1)
    if pending[1] ~= nil and pending[1][2] == ARGV[2] then
        redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, ARGV[i], 'JUSTID')
    else
        lost[#lost + 1] = ARGV[i]
    end
end
return lost
