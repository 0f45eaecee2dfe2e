-- The file-cache daemon's claim on one file, in one round trip.
-- KEYS[1] the cached file (bucket/location), KEYS[2] its claim key (same hash slot)
-- ARGV[1] the claimer's token, ARGV[2] the claim's lifetime in milliseconds
-- Returns 0 when the file is already cached, 1 when claimed, 2 when another daemon holds the claim.
if redis.call('EXISTS', KEYS[1]) == 1 then
  return 0
end
if redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return 1
end
return 2
