-- Moves a pending entry of a consumer group to the queue's dead-letter stream, in one step: XADD there (reason
-- and origin first, then the entry's own fields), XACK here, and XDEL here when asked.
-- KEYS[1] queue stream, KEYS[2] dead-letter stream (same hash slot).
-- ARGV[1] group, ARGV[2] entry id, ARGV[3] reason, ARGV[4] '1' to delete the original, ARGV[5] approximate
-- MAXLEN of the dead-letter stream ('0' for none).
-- Returns the dead-letter id, or false when the entry is not pending in the group (someone acknowledged it).
local pending = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[2], ARGV[2], 1)
if #pending == 0 then
    return false
end
local args = {'XADD', KEYS[2]}
if tonumber(ARGV[5]) > 0 then
    args[#args + 1] = 'MAXLEN'
    args[#args + 1] = '~'
    args[#args + 1] = ARGV[5]
end
args[#args + 1] = '*'
args[#args + 1] = 'dead_reason'
args[#args + 1] = ARGV[3]
args[#args + 1] = 'dead_source_id'
args[#args + 1] = ARGV[2]
args[#args + 1] = 'dead_group'
args[#args + 1] = ARGV[1]
args[#args + 1] = 'dead_deliveries'
args[#args + 1] = tostring(pending[1][4])
local entry = redis.call('XRANGE', KEYS[1], ARGV[2], ARGV[2])
if entry[1] ~= nil then
    for _, value in ipairs(entry[1][2]) do
        args[#args + 1] = value
    end
end
local id = redis.call(unpack(args))
redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
if ARGV[4] == '1' then
    redis.call('XDEL', KEYS[1], ARGV[2])
end
return id
