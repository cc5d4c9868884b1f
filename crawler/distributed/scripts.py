"""The frontier's Lua scripts: each step that must not be cut in two by a crash, run atomically in Redis.

Their keys and arguments are listed above each script; :class:`crawler.distributed.frontier.Frontier`
registers and calls them.
"""

# KEYS: dupefilter, slot queue, slots, slot set, queued, pending, my leases
# ARGV: fingerprint ('' = not filtered), data, score, slot, blog, fresh ('1'/'0'), lease to release ('' = none)
# -> {status, pending}: status 1 queued, 0 duplicate, -1 our lease was taken back (the requeued copy goes on);
#    pending: the blog's count afterwards, -1 when there is no blog.
PUSH = """
local fp, data, score, slot, blog, fresh, release = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7]
if release ~= '' and redis.call('HDEL', KEYS[7], release) == 0 then return {-1, -1} end
local function settled(delta)
  if blog == '' then return -1 end
  if delta ~= 0 then return redis.call('HINCRBY', KEYS[6], blog, delta) end
  return tonumber(redis.call('HGET', KEYS[6], blog) or '0')
end
local ends = 0
if fresh == '0' and release ~= '' then ends = -1 end
if fp ~= '' and redis.call('SADD', KEYS[1], fp) == 0 then return {0, settled(ends)} end
if redis.call('ZADD', KEYS[2], score, data) == 0 then return {0, settled(ends)} end
if redis.call('SADD', KEYS[4], slot) == 1 then redis.call('RPUSH', KEYS[3], slot) end
redis.call('INCR', KEYS[5])
if fresh == '1' then return {1, settled(1)} end
return {1, settled(0)}
"""

# KEYS: slots, slot set, queued, my leases; ARGV: slot queue prefix -> {lease, data} or nil
POP = """
local n = redis.call('LLEN', KEYS[1])
for i = 1, n do
  local slot = redis.call('LMOVE', KEYS[1], KEYS[1], 'LEFT', 'RIGHT')
  if not slot then return false end
  local queue = ARGV[1] .. slot
  local item = redis.call('ZPOPMIN', queue)
  if redis.call('ZCARD', queue) == 0 then
    redis.call('LREM', KEYS[1], 0, slot)
    redis.call('SREM', KEYS[2], slot)
  end
  if item[1] then
    local lease = redis.sha1hex(item[1])
    redis.call('HSET', KEYS[4], lease, 'r' .. item[2] .. ' ' .. slot .. '\\n' .. item[1])
    redis.call('DECR', KEYS[3])
    return {lease, item[1]}
  end
end
return false
"""

# KEYS: my leases, pending; ARGV: lease, blog -> the blog's pending count, or -1
ACK = """
if redis.call('HDEL', KEYS[1], ARGV[1]) == 1 and ARGV[2] ~= '' then
  return redis.call('HINCRBY', KEYS[2], ARGV[2], -1)
end
return -1
"""

# KEYS: leases to give back, slots, slot set, queued, seeds; ARGV: slot queue prefix -> how many
REQUEUE = """
local entries = redis.call('HGETALL', KEYS[1])
for i = 2, #entries, 2 do
  local value = entries[i]
  if string.sub(value, 1, 1) == 's' then
    redis.call('LPUSH', KEYS[5], string.sub(value, 3))
  else
    local nl = string.find(value, '\\n', 1, true)
    local head = string.sub(value, 2, nl - 1)
    local sp = string.find(head, ' ', 1, true)
    local slot = string.sub(head, sp + 1)
    if redis.call('ZADD', ARGV[1] .. slot, string.sub(head, 1, sp - 1), string.sub(value, nl + 1)) == 1 then
      if redis.call('SADD', KEYS[3], slot) == 1 then redis.call('RPUSH', KEYS[2], slot) end
      redis.call('INCR', KEYS[4])
    end
  end
end
redis.call('DEL', KEYS[1])
return #entries / 2
"""

# KEYS: seeds, my leases -> the seed URL, or nil
POP_SEED = """
local url = redis.call('LPOP', KEYS[1])
if url then redis.call('HSET', KEYS[2], 's:' .. url, 's\\n' .. url) end
return url
"""

# KEYS: the blog's post ids, the blog's hash; ARGV: post id, max -> 1 taken (or already), 0 over the limit
TAKE_POST = """
if redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 1 then return 1 end
if redis.call('SCARD', KEYS[1]) >= tonumber(ARGV[2]) then
  redis.call('HSET', KEYS[2], 'limit', 'max_posts')
  return 0
end
redis.call('SADD', KEYS[1], ARGV[1])
return 1
"""


# KEYS: seeds, queued, workers; ARGV: lease key prefix -> 1 when nothing is waiting, queued or leased
IDLE = """
if redis.call('LLEN', KEYS[1]) > 0 then return 0 end
if tonumber(redis.call('GET', KEYS[2]) or '0') > 0 then return 0 end
for _, worker in ipairs(redis.call('SMEMBERS', KEYS[3])) do
  if redis.call('HLEN', ARGV[1] .. worker) > 0 then return 0 end
end
return 1
"""
