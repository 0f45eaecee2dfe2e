-- Publishes a file that fits in one chunk in one step (no temporary key): the append and the commit of a larger file
-- in one round trip. Written only while the claim is this daemon's (or has expired), and only if the file is not
-- cached yet; then releases the claim if still held.
-- KEYS[1] the cached file (bucket/location), KEYS[2] its claim key (same hash slot)
-- ARGV[1] the file's bytes, ARGV[2] the claimer's token, ARGV[3] the TTL in milliseconds
-- Returns 1 when published, 0 when the file was already cached, -1 (nothing written) when another daemon holds the claim.
local owner = redis.call('GET', KEYS[2])
if owner and owner ~= ARGV[2] then
  return -1
end
local result = 0
if redis.call('EXISTS', KEYS[1]) == 0 then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3])
  result = 1
end
if owner then
  redis.call('DEL', KEYS[2])
end
return result
