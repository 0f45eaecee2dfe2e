-- The next id of a counter, numbered as RAGFlow's RedisDB.generate_auto_increment_id numbers it, in one atomic step
-- (RAGFlow's own code takes several round trips, so two of its processes starting a fresh counter at once can both
-- be handed its first id; C# callers never share an id with each other or with Python on a started counter).
-- KEYS[1] = "<key_prefix>:<namespace>"
-- ARGV[1] = increment (integer)
-- ARGV[2] = ensure_minimum (integer), or "" when none
local key = KEYS[1]
local increment = tonumber(ARGV[1])
if ARGV[2] ~= '' then
  local minimum = tonumber(ARGV[2])
  local current = redis.call('GET', key)
  if not current then
    -- A counter that does not exist starts at the minimum, and never below 1.
    local start = ARGV[2]
    if minimum < 1 then start = '1' end
    redis.call('SET', key, start)
    return tonumber(start)
  end
  if tonumber(current) < minimum then
    redis.call('SET', key, ARGV[2])
    return minimum
  end
end
local next_id = redis.call('INCRBY', key, increment)
if next_id == increment then
  -- The counter was fresh (or at 0): RAGFlow then skips one value, so its first id is 1 + increment.
  return redis.call('INCRBY', key, 1)
end
return next_id
