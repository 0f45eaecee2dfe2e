-- A token-bucket rate limit shared with RAGFlow's Python (its lua_token_bucket): the same hash fields, the same
-- refill arithmetic, the same expiry, so a bucket is drawn from by both languages.
-- KEYS[1] = the bucket's hash
-- ARGV[1] = capacity (tokens), ARGV[2] = refill rate (tokens per second, > 0),
-- ARGV[3] = now (seconds since the epoch), ARGV[4] = cost of this request (tokens)
-- Returns {allowed (1 or 0), tokens left}; Redis turns the Lua number of tokens into an integer (truncated).
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local cost = tonumber(ARGV[4])

local stored = redis.call('HMGET', KEYS[1], 'tokens', 'timestamp')
local tokens = tonumber(stored[1])
local last = tonumber(stored[2])
if tokens == nil then
  -- A new (or expired) bucket starts full.
  tokens = capacity
  last = now
end

local elapsed = now - last
if elapsed < 0 then elapsed = 0 end
tokens = math.min(capacity, tokens + elapsed * rate)
if tokens < cost then
  -- Refused: the bucket is left as it was.
  return {0, tokens}
end

tokens = tokens - cost
redis.call('HMSET', KEYS[1], 'tokens', tokens, 'timestamp', now)
redis.call('EXPIRE', KEYS[1], math.ceil(capacity / rate * 2))
return {1, tokens}
