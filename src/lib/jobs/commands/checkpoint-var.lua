--[[
  Records steps of jobs, each atomically (the whole call is atomic): status record, progress record,
  event stream, Pub/Sub. One call carries every checkpoint the process issued in the same tick for
  one cluster slot, so 50 concurrent jobs cost a handful of round trips, not 50.

  KEYS  per checkpoint i (0-based): [3i+1] status hash ai:job:status:{jobId}
                                    [3i+2] progress hash ai:job:progress:{jobId}
                                    [3i+3] event stream ai:job:events:{jobId}
  ARGV[1]  timestamp (ISO 8601) for every checkpoint of the call
  ARGV[2]  status/stream TTL seconds      ARGV[3] progress TTL seconds
  ARGV[4]  stream max length (approximate)
  ARGV[5..8] channel prefixes: status, progress, complete, error (the job id is appended)
  ARGV[9]  the same timestamp in epoch milliseconds
  ARGV[10] TTL refresh slack in milliseconds: a job's TTLs are refreshed on a status change and
           otherwise once this long has passed since the last refresh (EXPIRE on three keys is a third
           of a checkpoint's cost; a 1 h TTL refreshed every 36 s is never more than 1 % short)
  ARGV per checkpoint i, from 11 + 7i:
    +0 jobId  +1 status ('' keep)  +2 progress ('' keep; never lowered)  +3 step ('' keep)
    +4 estimatedTime ('' none)  +5 seq ('' next; at or below the stored one = replay, no-op)
    +6 rare fields joined by \31: userId, jobType (needed to create a job), error, error as a JSON
       string literal, extra data members as JSON text without braces ('' when none of them)

  The message is assembled by concatenation, not cjson: the caller has validated ids and steps to a
  JSON-safe alphabet and pre-encoded the free text, and this is the hot path.

  Returns 5 values per checkpoint: code, status, progress, seq, streamId
    code  1 applied | 0 replay | -1 refused: job already finished
         -2 unknown job and no userId/jobType to create it | -3 ignored: status would move backwards
]]
local RANK = { queued = 0, processing = 1, completed = 2, failed = 2, cancelled = 2 }
local now, statusTtl, progressTtl, maxLen = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local nowMs, ttlSlackMs = tonumber(ARGV[9]), tonumber(ARGV[10])
local results = {}

local function split(text)
  local parts, from = {}, 1
  for _ = 1, 5 do
    local at = string.find(text, '\31', from, true)
    if not at then parts[#parts + 1] = string.sub(text, from); break end
    parts[#parts + 1] = string.sub(text, from, at - 1)
    from = at + 1
  end
  return parts[1] or '', parts[2] or '', parts[3] or '', parts[4] or '', parts[5] or ''
end

local function checkpoint(statusKey, progressKey, eventsKey, a)
  local jobId = ARGV[a]
  local userIdArg, jobType, errorText, errorJson, extra = '', '', '', '', ''
  if ARGV[a + 6] ~= '' then userIdArg, jobType, errorText, errorJson, extra = split(ARGV[a + 6]) end

  local current = redis.call('HMGET', statusKey, 'status', 'progress', 'seq', 'userId', 'step', 'ttlAt')
  local curStatus = current[1]
  local exists = curStatus ~= false
  local curProgress = tonumber(current[2]) or 0
  local curSeq = tonumber(current[3]) or -1
  if not exists then
    if userIdArg == '' or jobType == '' then return -2, '', 0, 0, '' end
    curStatus = nil
  end

  local seq = tonumber(ARGV[a + 5])
  if exists and seq and seq <= curSeq then return 0, curStatus, curProgress, curSeq, '' end
  if exists and RANK[curStatus] == 2 then return -1, curStatus, curProgress, curSeq, '' end
  local status = ARGV[a + 1]
  if status == '' then status = curStatus or 'queued' end
  if exists and RANK[status] < RANK[curStatus] then return -3, curStatus, curProgress, curSeq, '' end

  local progress = curProgress
  local requested = tonumber(ARGV[a + 2])
  if requested and requested > progress then progress = requested end
  if status == 'completed' then progress = 100 end
  local curStep = current[5] or ''
  local step = ARGV[a + 3]
  if step == '' then step = curStep end
  local estimated = ARGV[a + 4]
  local userId = exists and current[4] or userIdArg
  local newSeq = seq or math.max(curSeq + 1, 0)
  local statusChanged = status ~= curStatus
  local progressChanged = progress ~= curProgress or (exists and step ~= curStep)

  local refreshTtl = statusChanged or nowMs - (tonumber(current[6]) or 0) >= ttlSlackMs
  if exists and errorText == '' and not refreshTtl then
    -- The common case, a progress step of a running job: one flat call, no table to build.
    if estimated == '' then
      redis.call('HSET', statusKey, 'status', status, 'progress', progress, 'step', step, 'updatedAt', now, 'seq', newSeq)
    else
      redis.call('HSET', statusKey, 'status', status, 'progress', progress, 'step', step, 'updatedAt', now, 'seq', newSeq,
        'estimatedTime', estimated)
    end
  else
    local fields = { 'status', status, 'progress', progress, 'step', step, 'updatedAt', now, 'seq', newSeq }
    if not exists then
      for _, v in ipairs({ 'jobId', jobId, 'userId', userId, 'jobType', jobType, 'createdAt', now }) do
        fields[#fields + 1] = v
      end
    end
    if estimated ~= '' then fields[#fields + 1] = 'estimatedTime'; fields[#fields + 1] = estimated end
    if errorText ~= '' then fields[#fields + 1] = 'error'; fields[#fields + 1] = errorText end
    if refreshTtl then fields[#fields + 1] = 'ttlAt'; fields[#fields + 1] = nowMs end
    redis.call('HSET', statusKey, unpack(fields))
  end
  if exists then
    redis.call('HSET', progressKey, 'progress', progress, 'step', step, 'updatedAt', now, 'seq', newSeq)
  else
    redis.call('HSET', progressKey, 'jobId', jobId, 'progress', progress, 'step', step, 'updatedAt', now, 'seq', newSeq)
  end
  if refreshTtl then
    redis.call('EXPIRE', statusKey, statusTtl)
    redis.call('EXPIRE', progressKey, progressTtl)
  end
  if not (statusChanged or progressChanged) then return 1, status, progress, newSeq, '' end

  local data = '{"step":"' .. step .. '"'
  if estimated ~= '' then data = data .. ',"estimatedTime":' .. estimated end
  if errorJson ~= '' then data = data .. ',"error":' .. errorJson end
  if extra ~= '' then data = data .. ',' .. extra end
  local tail = '","jobId":"' .. jobId .. '","userId":"' .. userId .. '","status":"' .. status ..
    '","progress":' .. progress .. ',"timestamp":"' .. now .. '","data":' .. data .. '}}'

  local streamType = 'job_progress_update'
  if status == 'completed' then streamType = 'job_completed'
  elseif status == 'failed' then streamType = 'job_failed'
  elseif status == 'cancelled' then streamType = 'job_cancelled'
  elseif statusChanged then streamType = 'job_status_update' end
  local streamId = redis.call('XADD', eventsKey, 'MAXLEN', '~', maxLen, '*', 'event', '{"eventType":"' .. streamType .. tail)
  -- A job's first checkpoint changes its status, so a new stream always gets its TTL here.
  if refreshTtl then redis.call('EXPIRE', eventsKey, statusTtl) end

  if statusChanged then redis.call('PUBLISH', ARGV[5] .. jobId, '{"eventType":"job_status_update' .. tail) end
  if progressChanged then redis.call('PUBLISH', ARGV[6] .. jobId, '{"eventType":"job_progress_update' .. tail) end
  if status == 'completed' then redis.call('PUBLISH', ARGV[7] .. jobId, '{"eventType":"job_completed' .. tail)
  elseif status == 'failed' then redis.call('PUBLISH', ARGV[8] .. jobId, '{"eventType":"job_failed' .. tail) end
  return 1, status, progress, newSeq, streamId
end

for i = 0, #KEYS / 3 - 1 do
  local code, status, progress, seq, streamId = checkpoint(KEYS[3 * i + 1], KEYS[3 * i + 2], KEYS[3 * i + 3], 11 + 7 * i)
  results[#results + 1] = code
  results[#results + 1] = status
  results[#results + 1] = progress
  results[#results + 1] = seq
  results[#results + 1] = streamId
end
return results
