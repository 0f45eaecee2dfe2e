-- Puts a dead-lettered entry back on its queue as a new entry and removes it from the dead-letter stream, in one
-- step. The first ARGV[2] field pairs of a dead-letter entry are RedisFlow's (reason, origin); the rest are the
-- original entry's fields.
-- KEYS[1] dead-letter stream, KEYS[2] queue stream (same hash slot). ARGV[1] dead-letter id, ARGV[2] pairs to skip.
-- Returns the new id in the queue, or false when there is no such dead letter or it has no original fields.
local entry = redis.call('XRANGE', KEYS[1], ARGV[1], ARGV[1])
if entry[1] == nil then
    return false
end
local fields = entry[1][2]
local args = {'XADD', KEYS[2], '*'}
for i = tonumber(ARGV[2]) * 2 + 1, #fields do
    args[#args + 1] = fields[i]
end
if #args == 3 then
    return false
end
local id = redis.call(unpack(args))
redis.call('XDEL', KEYS[1], ARGV[1])
return id
