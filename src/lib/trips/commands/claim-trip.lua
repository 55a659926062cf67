-- Claims a trip for a user in one round trip (TripOwners.claim).
-- KEYS[1] the trip's owner key; ARGV[1] the user id; ARGV[2] the claim's lifetime in seconds.
-- Returns the owner after the call: ARGV[1] when the claim holds (new, or renewed for its owner),
-- another user's id when that user holds it (left untouched).
local owner = redis.call('GET', KEYS[1])
if owner and owner ~= ARGV[1] then
  return owner
end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
return ARGV[1]
