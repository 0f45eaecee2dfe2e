-- Re-adds a pending entry of a consumer group as a new entry and acknowledges the old one, in one step, so the
-- entry is never lost (crash between the two) nor doubled (a retried call finds it no longer pending).
-- KEYS[1] queue stream. ARGV[1] group, ARGV[2] entry id. Returns the new id, or false when the entry is not
-- pending in the group (an entry already gone from the stream is only acknowledged).
local pending = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[2], ARGV[2], 1)
if #pending == 0 then
    return false
end
local entry = redis.call('XRANGE', KEYS[1], ARGV[2], ARGV[2])
if entry[1] == nil then
    redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
    return false
end
local id = redis.call('XADD', KEYS[1], '*', unpack(entry[1][2]))
redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
return id
