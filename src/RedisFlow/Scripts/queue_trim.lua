-- Trims a queue stream below the oldest entry any consumer group still needs: for every group, its oldest
-- pending entry and the entry after its last-delivered id. Entries below the minimum of those are acknowledged by
-- every group, so XTRIM MINID drops nothing a group has not acknowledged. A stream without groups is kept whole
-- (nobody has read it yet).
-- KEYS[1] queue stream. Returns {deleted, min-id} (min-id '' when nothing could be trimmed).
if redis.call('EXISTS', KEYS[1]) == 0 then
    return {0, ''}
end
local groups = redis.call('XINFO', 'GROUPS', KEYS[1])
if #groups == 0 then
    return {0, ''}
end

-- Stream ids are "ms-seq" with 64-bit parts: compare as digit strings (length first) to stay exact.
local function parts(id)
    local ms, seq = string.match(id, '^(%d+)-(%d+)$')
    return ms, seq
end
local function less_digits(a, b)
    if #a ~= #b then
        return #a < #b
    end
    return a < b
end
local function less(a, b)
    local am, as = parts(a)
    local bm, bs = parts(b)
    if am ~= bm then
        return less_digits(am, bm)
    end
    return less_digits(as, bs)
end
local function after(id)
    local ms, seq = parts(id)
    if #seq > 15 then
        return id -- too large to add one exactly: keep this entry too (conservative)
    end
    return ms .. '-' .. string.format('%d', tonumber(seq) + 1)
end

local min = nil
for _, group in ipairs(groups) do
    local info = {}
    for i = 1, #group, 2 do
        info[group[i]] = group[i + 1]
    end
    local keep = after(info['last-delivered-id'])
    if tonumber(info['pending']) > 0 then
        local summary = redis.call('XPENDING', KEYS[1], info['name'])
        if summary[2] and less(summary[2], keep) then
            keep = summary[2]
        end
    end
    if min == nil or less(keep, min) then
        min = keep
    end
end

if min == nil or min == '0-1' then
    return {0, ''}
end
local deleted = redis.call('XTRIM', KEYS[1], 'MINID', min)
return {deleted, min}
