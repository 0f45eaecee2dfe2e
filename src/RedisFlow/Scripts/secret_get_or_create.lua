-- The value of a shared secret: the one already stored, else ARGV[1], stored now. Whoever comes first wins, and
-- every caller gets that value (the same key and value as RAGFlow's RedisDB.get_or_create_secret_key).
-- KEYS[1] = the secret's key
-- ARGV[1] = the value to store when there is none
local existing = redis.call('GET', KEYS[1])
if existing then
  return existing
end
redis.call('SET', KEYS[1], ARGV[1])
return ARGV[1]
