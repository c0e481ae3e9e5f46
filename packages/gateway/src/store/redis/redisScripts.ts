import { createHash } from 'node:crypto';

/** A Lua script and its SHA1, for EVALSHA with an EVAL fallback. */
export interface RedisScript {
  readonly source: string;
  readonly sha1: string;
}

function script(source: string): RedisScript {
  return { source, sha1: createHash('sha1').update(source).digest('hex') };
}

// Shared by the scripts: the store clock (Redis's own, so replicas' clocks never disagree),
// and the usage hash of a key and day, registered for listing and kept for the retention.
const PRELUDE = `
local function clock()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function usage_key(prefix, key_id, day, retention)
  local key = prefix .. 'use:' .. key_id .. ':' .. day
  redis.call('EXPIRE', key, retention)
  redis.call('ZADD', prefix .. 'usedays:' .. key_id, day, day)
  redis.call('SADD', prefix .. 'usekeys', key_id)
  return key
end
`;

/**
 * Admission, atomically: is the key known and live; would the day's condensed tokens
 * (returned plus reserved) stay within its budget; is there room in its 60 s sliding log.
 * Admitting logs the request, counts it and reserves its tokens. A refusal by a limit is
 * counted as a rate-limit hit. Either way the reply carries the live miner cooldowns and
 * the miner view's version, so a replica needs one round trip per request.
 *
 * KEYS: key hash, window zset, cooldown hash, view version, sequence.
 * ARGV: prefix, key id, tokens to reserve, usage retention (s).
 * Reply: {1, day, version, hotkey, ms left, ...} | {0, reason, retry_after_ms, version, ...}.
 */
export const ADMIT_SCRIPT = script(`${PRELUDE}
local now = clock()
local day = math.floor(now / 86400000)
local reserve = tonumber(ARGV[3])
local function cooldowns()
  local out = {}
  local all = redis.call('HGETALL', KEYS[3])
  for i = 1, #all, 2 do
    local left = tonumber(all[i + 1]) - now
    if left > 0 then
      out[#out + 1] = all[i]
      out[#out + 1] = left
    else
      redis.call('HDEL', KEYS[3], all[i])
    end
  end
  return out
end
local function reply(head)
  local version = tonumber(redis.call('GET', KEYS[4]) or '0')
  head[#head + 1] = version
  for _, v in ipairs(cooldowns()) do head[#head + 1] = v end
  return head
end
local key = redis.call('HMGET', KEYS[1], 'salt', 'rpm', 'tpd', 'revoked_at')
if not key[1] then return reply({0, 'unknown', 0}) end
if key[4] and key[4] ~= '' then return reply({0, 'revoked', 0}) end
local usage = usage_key(ARGV[1], ARGV[2], day, tonumber(ARGV[4]))
local tpd = tonumber(key[3] or '')
if tpd then
  local used = redis.call('HMGET', usage, 'tokensOut', 'reservedTokens')
  if tonumber(used[1] or '0') + tonumber(used[2] or '0') + reserve > tpd then
    redis.call('HINCRBY', usage, 'rateLimited', 1)
    return reply({0, 'tokens_per_day', (day + 1) * 86400000 - now})
  end
end
local rpm = tonumber(key[2] or '')
if rpm then
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - 60000)
  if redis.call('ZCARD', KEYS[2]) >= rpm then
    local oldest = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
    redis.call('HINCRBY', usage, 'rateLimited', 1)
    return reply({0, 'requests_per_minute', math.max(1, tonumber(oldest[2]) + 60000 - now)})
  end
  redis.call('ZADD', KEYS[2], now, now .. '-' .. redis.call('INCR', KEYS[5]))
  redis.call('PEXPIRE', KEYS[2], 60000)
end
redis.call('HINCRBY', usage, 'requests', 1)
if reserve > 0 then redis.call('HINCRBY', usage, 'reservedTokens', reserve) end
return reply({1, day})
`);

/**
 * Meters how a request ended, once per settlement id (a retry after a lost reply is a
 * no-op): releases the reservation, adds the tokens, counts the status class.
 *
 * KEYS: the settlement's marker. ARGV: prefix, key id, day (-1: today), reserved,
 * tokens in, tokens out, status field ('' for none), usage retention (s), marker ttl (s).
 */
export const SETTLE_SCRIPT = script(`${PRELUDE}
if not redis.call('SET', KEYS[1], '1', 'NX', 'EX', tonumber(ARGV[9])) then return 0 end
local day = tonumber(ARGV[3])
if day < 0 then day = math.floor(clock() / 86400000) end
local usage = usage_key(ARGV[1], ARGV[2], day, tonumber(ARGV[8]))
local reserved = tonumber(ARGV[4])
if reserved > 0 then
  if redis.call('HINCRBY', usage, 'reservedTokens', -reserved) < 0 then
    redis.call('HSET', usage, 'reservedTokens', 0)
  end
end
redis.call('HINCRBY', usage, 'tokensIn', tonumber(ARGV[5]))
redis.call('HINCRBY', usage, 'tokensOut', tonumber(ARGV[6]))
if ARGV[7] ~= '' then redis.call('HINCRBY', usage, ARGV[7], 1) end
return 1
`);

/**
 * A miner's outcome as every replica will see it: a success clears its failures; a failure
 * counts one more and cools it down for its Retry-After (capped) or an exponential backoff.
 * The failure count lapses a minute after the cooldown ends, so old failures are forgiven.
 *
 * KEYS: the miner's failure counter, the cooldown hash. ARGV: hotkey, ok (1/0),
 * retry-after ms (-1: none), base ms, max ms, max retry-after ms.
 */
export const MINER_OUTCOME_SCRIPT = script(`${PRELUDE}
if ARGV[2] == '1' then
  redis.call('DEL', KEYS[1])
  redis.call('HDEL', KEYS[2], ARGV[1])
  return 0
end
local failures = redis.call('INCR', KEYS[1])
local retry = tonumber(ARGV[3])
local cooldown
if retry >= 0 then
  cooldown = math.min(retry, tonumber(ARGV[6]))
else
  cooldown = math.min(tonumber(ARGV[4]) * 2 ^ (failures - 1), tonumber(ARGV[5]))
end
cooldown = math.floor(cooldown)
redis.call('PEXPIRE', KEYS[1], cooldown + 60000)
local untilMs = clock() + cooldown
redis.call('HSET', KEYS[2], ARGV[1], untilMs)
return untilMs
`);

/**
 * Changes fields of an existing key only (never creates a partial one).
 * KEYS: key hash. ARGV: field, value, ... Reply: 1, or 0 for an unknown key.
 */
export const PATCH_KEY_SCRIPT = script(`
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV))
return 1
`);

/** Marks an existing key revoked, keeping the first revocation time. KEYS: key hash. ARGV: now. */
export const REVOKE_KEY_SCRIPT = script(`
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local at = redis.call('HGET', KEYS[1], 'revoked_at')
if not at or at == '' then redis.call('HSET', KEYS[1], 'revoked_at', ARGV[1]) end
return 1
`);
