-- Publishes a fully written file: renames the temporary key to the file's key with its TTL, only if the file's key
-- does not exist and the temporary key holds exactly the expected length; then releases the claim if still held.
-- KEYS[1] the temporary key, KEYS[2] the cached file (bucket/location), KEYS[3] the claim key (same hash slot)
-- ARGV[1] the TTL in milliseconds, ARGV[2] the claimer's token, ARGV[3] the expected length in bytes
-- Returns 1 when published, 0 when the file was already cached (the temporary key is dropped),
-- -1 when the temporary key is incomplete (expired while written; dropped, nothing published).
local result
local expected = tonumber(ARGV[3])
if redis.call('EXISTS', KEYS[2]) == 1 then
  redis.call('DEL', KEYS[1])
  result = 0
elseif expected == 0 then
  redis.call('DEL', KEYS[1])
  redis.call('SET', KEYS[2], '', 'PX', ARGV[1])
  result = 1
elseif redis.call('STRLEN', KEYS[1]) ~= expected then
  redis.call('DEL', KEYS[1])
  result = -1
else
  redis.call('RENAME', KEYS[1], KEYS[2])
  redis.call('PEXPIRE', KEYS[2], ARGV[1])
  result = 1
end
if redis.call('GET', KEYS[3]) == ARGV[2] then
  redis.call('DEL', KEYS[3])
end
return result
