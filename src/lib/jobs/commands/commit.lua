--[[
  Commits a job's result: from here on a cancel is refused (checkpoint.lua answers -4), because the
  result is about to be cached and announced and a cancelled job must never have either. A job that
  is already finished (cancelled, failed) is left as it is: the caller must stop.

  KEYS[1]  status hash ai:job:status:{jobId}
  Returns  the job's status, '' when the job is unknown (its record expired or was lost).
]]
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return '' end
if status == 'queued' or status == 'processing' then redis.call('HSET', KEYS[1], 'committed', '1') end
return status
