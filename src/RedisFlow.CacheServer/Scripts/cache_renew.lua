-- Runs after each chunk a daemon sent to a file's temporary key with a plain APPEND (the bytes never pass through
-- Lua): renews the temporary key and the claim, and checks that the claim is still this daemon's and that no
-- earlier chunk was lost.
-- KEYS[1] the temporary key, KEYS[2] the claim key (same hash slot)
-- ARGV[1] the claimer's token, ARGV[2] lifetime in milliseconds for both keys, ARGV[3] bytes sent up to this chunk
-- Returns the temporary key's length; -1 when another daemon took the claim meanwhile; -2 when the temporary key is
-- shorter than the bytes sent (it expired while written). "At least" rather than "exactly": chunks are pipelined,
-- so a later APPEND may already be in when this runs (after a NOSCRIPT retry); the publish checks the exact length.
-- The claim is renewed only while the temporary key is whole, so a retry that runs after the publish re-takes nothing.
redis.call('PEXPIRE', KEYS[1], ARGV[2])
local owner = redis.call('GET', KEYS[2])
if owner and owner ~= ARGV[1] then
  return -1
end
local length = redis.call('STRLEN', KEYS[1])
if length < tonumber(ARGV[3]) then
  return -2
end
redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2])
return length
