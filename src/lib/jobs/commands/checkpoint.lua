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
  ARGV[9 + i] checkpoint i, its fields joined by \31 (one argument, not seven: see packedFields in
    checkpoint-batcher.ts): jobId, status ('' keep), progress ('' keep; never lowered), step ('' keep),
    estimatedTime ('' none), seq ('' next; at or below the stored one = replay, no-op), then the rare
    fields, themselves joined by \31 and '' when none: refresh ('1': refresh the TTLs; the caller
    decides, see ttl-refresh-tracker.ts), userId and jobType (needed to create a job), error, error as
    a JSON string literal, extra data members as JSON text without braces

  An event (stream entry and messages) is recorded when the status changes, progress rises or the
  checkpoint names a step. TTLs are refreshed on a status change and when the caller asks.

  Returns one string per checkpoint, "code status progress seq streamId" (streamId may be empty):
    code  1 applied | 0 replay | -1 refused: job already finished
         -2 unknown job and no userId/jobType to create it | -3 ignored: status would move backwards
         -4 refused: a cancel after the job committed its result (see commit.lua)

  This is the hot path of every workflow, and most of its cost is the interpreter and the calls into
  Redis, not the data, so: globals are read once into locals; only the fields every checkpoint needs
  are read; numbers stay in the text they arrived in (formatting a Lua number costs more than a hash
  write); every message is built in one concatenation, because each string Lua builds is hashed,
  interned and later collected; the reply is one string per checkpoint. The message is assembled by
  concatenation, not cjson: the caller has validated ids and steps to a JSON-safe alphabet and
  pre-encoded the free text.
]]
local call, argv, tonumber, match = redis.call, ARGV, tonumber, string.match
local ITEM = '^([^\31]*)\31([^\31]*)\31([^\31]*)\31([^\31]*)\31([^\31]*)\31([^\31]*)\31(.*)$'
local RANK = { queued = 0, processing = 1, completed = 2, failed = 2, cancelled = 2 }
local now, statusTtl, progressTtl, maxLen = argv[1], argv[2], argv[3], argv[4]
local statusChannel, progressChannel, completeChannel, errorChannel = argv[5], argv[6], argv[7], argv[8]
-- The stream is trimmed (MAXLEN ~) when seq is a multiple of 50 and at every TTL refresh, not on
-- each append: the check costs a twentieth of a checkpoint and a few dozen entries more are harmless.
local TRIM_WHEN = '[05]0$'

-- Whether whole number a is above b, both canonical decimal text (no sign, no leading zeros), without
-- tonumber: Lua parses numbers with the C library's strtod, about 3% of a checkpoint's instructions.
local function above(a, b)
  local la, lb = #a, #b
  return la > lb or (la == lb and a > b)
end

local function split(text)
  local parts, from = {}, 1
  for _ = 1, 6 do
    local at = string.find(text, '\31', from, true)
    if not at then parts[#parts + 1] = string.sub(text, from); break end
    parts[#parts + 1] = string.sub(text, from, at - 1)
    from = at + 1
  end
  return parts[1] or '', parts[2] or '', parts[3] or '', parts[4] or '', parts[5] or '', parts[6] or ''
end

-- `extra` is ',' and more data members, or ''. Each branch is one concatenation, one new string.
local function eventMessage(eventType, jobId, userId, status, progress, step, estimated, extra)
  if estimated == '' then
    return '{"eventType":"' .. eventType .. '","jobId":"' .. jobId .. '","userId":"' .. userId ..
      '","status":"' .. status .. '","progress":' .. progress .. ',"timestamp":"' .. now ..
      '","data":{"step":"' .. step .. '"' .. extra .. '}}'
  end
  return '{"eventType":"' .. eventType .. '","jobId":"' .. jobId .. '","userId":"' .. userId ..
    '","status":"' .. status .. '","progress":' .. progress .. ',"timestamp":"' .. now ..
    '","data":{"step":"' .. step .. '","estimatedTime":' .. estimated .. extra .. '}}'
end

-- The stream entry's message when the channel carries the same event type, else a new one. A plain
-- function with parameters: a closure made per checkpoint cost 0.8 µs of its 9.
local function messageFor(eventType, streamType, streamMessage, jobId, userId, status, progress, step, estimated, extra)
  if eventType == streamType then return streamMessage end
  return eventMessage(eventType, jobId, userId, status, progress, step, estimated, extra)
end

local function reply(code, status, progress, seq, streamId)
  return code .. ' ' .. status .. ' ' .. progress .. ' ' .. seq .. ' ' .. streamId
end

local function checkpoint(statusKey, progressKey, eventsKey, a)
  local jobId, statusArg, progressArg, stepArg, estimated, seqArg, rare = match(argv[a], ITEM)
  local refresh, userIdArg, jobType, errorText, errorJson, extra = '', '', '', '', '', ''
  if rare ~= '' then refresh, userIdArg, jobType, errorText, errorJson, extra = split(rare) end

  -- The fields are created in this order: a small hash is a list, and lookups walk it from the front.
  local current = call('HMGET', statusKey, 'status', 'progress', 'seq', 'userId')
  local curStatus, curProgressText, curSeqText = current[1], current[2] or '0', current[3] or '-1'
  local exists = curStatus ~= false
  if exists then
    if seqArg ~= '' and not above(seqArg, curSeqText) then
      return reply('0', curStatus, curProgressText, curSeqText, '')
    end
    if RANK[curStatus] == 2 then return reply('-1', curStatus, curProgressText, curSeqText, '') end
    -- A cancel arriving after the job committed its result (commit.lua) is refused: the result is
    -- about to be cached and announced, and a cancelled job must never have either.
    if statusArg == 'cancelled' and call('HEXISTS', statusKey, 'committed') == 1 then
      return reply('-4', curStatus, curProgressText, curSeqText, '')
    end
  else
    if userIdArg == '' or jobType == '' then return reply('-2', '', '0', '0', '') end
    curStatus = nil
  end
  local status = statusArg
  if status == '' then status = curStatus or 'queued' end
  if exists and RANK[status] < RANK[curStatus] then
    return reply('-3', curStatus, curProgressText, curSeqText, '')
  end

  -- Progress may be fractional, so it is compared as numbers, but only when the texts differ.
  local progressText = curProgressText
  if progressArg ~= '' and progressArg ~= curProgressText and tonumber(progressArg) > tonumber(curProgressText) then
    progressText = progressArg
  end
  if status == 'completed' then progressText = '100' end
  local step = stepArg
  if step == '' and exists then step = call('HGET', statusKey, 'step') or '' end
  local userId = exists and current[4] or userIdArg
  local newSeq = seqArg
  if newSeq == '' then newSeq = string.format('%d', tonumber(curSeqText) + 1) end
  local statusChanged = status ~= curStatus
  local progressChanged = progressText ~= curProgressText or stepArg ~= ''

  local refreshTtl = statusChanged or refresh == '1'
  if exists and errorText == '' and not refreshTtl then
    -- The common case, a progress step of a running job whose status stays: one flat call.
    if estimated == '' then
      call('HSET', statusKey, 'progress', progressText, 'seq', newSeq, 'step', step, 'updatedAt', now)
    else
      call('HSET', statusKey, 'progress', progressText, 'seq', newSeq, 'step', step, 'updatedAt', now,
        'estimatedTime', estimated)
    end
    call('HSET', progressKey, 'progress', progressText, 'step', step, 'updatedAt', now)
  else
    local fields = { 'status', status, 'progress', progressText, 'seq', newSeq, 'userId', userId, 'step', step,
      'updatedAt', now }
    if not exists then
      for _, v in ipairs({ 'jobId', jobId, 'jobType', jobType, 'createdAt', now }) do
        fields[#fields + 1] = v
      end
    end
    if estimated ~= '' then fields[#fields + 1] = 'estimatedTime'; fields[#fields + 1] = estimated end
    if errorText ~= '' then fields[#fields + 1] = 'error'; fields[#fields + 1] = errorText end
    call('HSET', statusKey, unpack(fields))
    if exists then
      call('HSET', progressKey, 'progress', progressText, 'step', step, 'updatedAt', now)
    else
      call('HSET', progressKey, 'progress', progressText, 'step', step, 'updatedAt', now, 'jobId', jobId)
    end
    if refreshTtl then
      call('EXPIRE', statusKey, statusTtl)
      call('EXPIRE', progressKey, progressTtl)
    end
  end
  if not (statusChanged or progressChanged) then return reply('1', status, progressText, newSeq, '') end

  local extraMembers = ''
  if errorJson ~= '' then extraMembers = ',"error":' .. errorJson end
  if extra ~= '' then extraMembers = extraMembers .. ',' .. extra end

  local streamType = 'job_progress_update'
  if status == 'completed' then streamType = 'job_completed'
  elseif status == 'failed' then streamType = 'job_failed'
  elseif status == 'cancelled' then streamType = 'job_cancelled'
  elseif statusChanged then streamType = 'job_status_update' end
  local streamMessage = eventMessage(streamType, jobId, userId, status, progressText, step, estimated, extraMembers)
  local streamId
  if refreshTtl or match(newSeq, TRIM_WHEN) then
    streamId = call('XADD', eventsKey, 'MAXLEN', '~', maxLen, '*', 'event', streamMessage)
  else
    streamId = call('XADD', eventsKey, '*', 'event', streamMessage)
  end
  -- A job's first checkpoint changes its status, so a new stream always gets its TTL here.
  if refreshTtl then call('EXPIRE', eventsKey, statusTtl) end

  if statusChanged then
    call('PUBLISH', statusChannel .. jobId, messageFor('job_status_update', streamType, streamMessage, jobId, userId,
      status, progressText, step, estimated, extraMembers))
  end
  -- A cancellation goes to the status channel only (it is not progress, even when it names a step).
  if progressChanged and status ~= 'cancelled' then
    call('PUBLISH', progressChannel .. jobId, messageFor('job_progress_update', streamType, streamMessage, jobId,
      userId, status, progressText, step, estimated, extraMembers))
  end
  if status == 'completed' then call('PUBLISH', completeChannel .. jobId, streamMessage)
  elseif status == 'failed' then call('PUBLISH', errorChannel .. jobId, streamMessage) end
  return reply('1', status, progressText, newSeq, streamId)
end

local results = {}
for i = 0, #KEYS / 3 - 1 do
  results[i + 1] = checkpoint(KEYS[3 * i + 1], KEYS[3 * i + 2], KEYS[3 * i + 3], 9 + i)
end
return results
