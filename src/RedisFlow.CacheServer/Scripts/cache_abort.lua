-- Gives up on a file: drops its temporary key and releases the claim if this daemon still holds it.
-- KEYS[1] the temporary key, KEYS[2] the claim key (same hash slot); ARGV[1] the claimer's token
redis.call('DEL', KEYS[1])
if redis.call('GET', KEYS[2]) == ARGV[1] then
  redis.call('DEL', KEYS[2])
end
return 1
