-- Appends one chunk of a file to its temporary key and renews the temporary key and the claim.
-- KEYS[1] the temporary key, KEYS[2] the claim key (same hash slot)
-- ARGV[1] the chunk, ARGV[2] the claimer's token, ARGV[3] lifetime in milliseconds for both keys
-- Returns the temporary key's new length, or -1 (nothing written) when another daemon took the claim meanwhile.
local owner = redis.call('GET', KEYS[2])
if owner and owner ~= ARGV[2] then
  return -1
end
redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
local length = redis.call('APPEND', KEYS[1], ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return length
