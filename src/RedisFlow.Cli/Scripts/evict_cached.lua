-- Deletes KEYS[1] only when it has the shape of a cached file: a string whose TTL is set and at most ARGV[1]
-- milliseconds (Cache:Ttl). Checked and deleted in one step, so a key cannot change kind in between.
-- Answers 1 deleted, 0 missing, -1 another type, -2 no TTL or a longer one.
local kind = redis.call('TYPE', KEYS[1])['ok']
if kind == 'none' then
  return 0
end
if kind ~= 'string' then
  return -1
end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 or ttl > tonumber(ARGV[1]) then
  return -2
end
return redis.call('DEL', KEYS[1])
