--[[
  Counts a click or a dismissal on a served list for the list's variant, at most once per list and
  kind (a list clicked three times is one clicked list: CTR = clicked lists / served lists). Counted
  in the bucket of the feedback's arrival.

  KEYS[1]  served hash     ai:feedback:{model}:served:<recommendationId>
  KEYS[2]  counters hash   ai:feedback:{model}:counts:<bucket>
  KEYS[3]  bucket index    ai:feedback:{model}:buckets
  ARGV[1]  userId
  ARGV[2]  placeId
  ARGV[3]  metric          clicks | dismissals
  ARGV[4]  counters TTL seconds
  ARGV[5]  bucket id
  ARGV[6]  bucket start ms
  Returns  1 counted, 0 already counted, -1 unknown list (never served or expired),
           -2 the list was served to another user, -3 the place was not in the list
]]
local served = redis.call('HMGET', KEYS[1], 'userId', 'prefix', 'places')
if not served[1] then return -1 end
if served[1] ~= ARGV[1] then return -2 end
if not string.find(served[3], '\n' .. ARGV[2] .. '\n', 1, true) then return -3 end
if redis.call('HSETNX', KEYS[1], ARGV[3], '1') == 0 then return 0 end
redis.call('HINCRBY', KEYS[2], served[2] .. ':' .. ARGV[3], 1)
redis.call('EXPIRE', KEYS[2], tonumber(ARGV[4]))
redis.call('ZADD', KEYS[3], tonumber(ARGV[6]), ARGV[5])
redis.call('EXPIRE', KEYS[3], tonumber(ARGV[4]))
return 1
