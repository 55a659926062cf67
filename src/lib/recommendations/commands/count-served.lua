--[[
  Counts one served recommendation list as an impression of its variant, once per recommendation id
  (a retried serve of the same list counts once), and keeps what a later click must match.

  KEYS[1]  served hash     ai:feedback:{model}:served:<recommendationId>
  KEYS[2]  counters hash   ai:feedback:{model}:counts:<bucket>
  KEYS[3]  bucket index    ai:feedback:{model}:buckets (sorted set, score = bucket start ms)
  ARGV[1]  userId
  ARGV[2]  counter prefix  <variant>:<version>
  ARGV[3]  place ids, one per line, framed by newlines
  ARGV[4]  served TTL seconds
  ARGV[5]  counters TTL seconds
  ARGV[6]  bucket id
  ARGV[7]  bucket start ms
  Returns  1 counted, 0 this list was already counted
]]
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'userId', ARGV[1], 'prefix', ARGV[2], 'places', ARGV[3])
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[4]))
redis.call('HINCRBY', KEYS[2], ARGV[2] .. ':impressions', 1)
redis.call('EXPIRE', KEYS[2], tonumber(ARGV[5]))
redis.call('ZADD', KEYS[3], tonumber(ARGV[7]), ARGV[6])
redis.call('EXPIRE', KEYS[3], tonumber(ARGV[5]))
return 1
