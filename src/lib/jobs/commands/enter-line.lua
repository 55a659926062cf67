--[[
  Puts a job at the end of its ordering key's line and returns the job before it, so jobs with the
  same key run one at a time in arrival order (src/lib/jobs/ordering-line.ts). Idempotent: a job that
  is already in the line gets the same answer again (a redelivered message must not jump the line or
  wait for itself).

  KEYS[1] ai:order:{workflow:key}:last  the newest job of the line (string)
  KEYS[2] ai:order:{workflow:key}:prev  hash jobId -> the job before it ('' = none)
  KEYS[3] ai:order:{workflow:key}:next  hash jobId -> the job after it
  ARGV[1] jobId   ARGV[2] TTL seconds of the line's keys
  Returns the predecessor's job id, or '' when the job is first in line.
]]
local known = redis.call('HGET', KEYS[2], ARGV[1])
if known then return known end
local last = redis.call('GET', KEYS[1]) or ''
redis.call('HSET', KEYS[2], ARGV[1], last)
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
redis.call('EXPIRE', KEYS[2], ARGV[2])
if last ~= '' then
  redis.call('HSET', KEYS[3], last, ARGV[1])
  redis.call('EXPIRE', KEYS[3], ARGV[2])
end
return last
