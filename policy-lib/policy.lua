-- policy: policies as values that compose.
--
-- A policy file may change the policy directly (vow.promise, vow.unveil ...)
-- or return a value made here:
--
--   local P = require "policy"
--   return P.new{
--     promises = "stdio rpath",
--     paths = { ["/usr"] = "r", ["~/proj"] = "rwc" },
--     P.program(vow.argv[1]),            -- fragments merge in
--   }
--
-- Only a returned value can be extended (P.extend, p:extend) or narrowed
-- (p:narrow, p:without); vow applies it when the file is included or given
-- with -f.  Every rule remembers the line of the policy that wrote it: `vow
-- show` names it, and errors found when the rule is applied name it too.
--
-- Pure Lua over the vow primitives; tested with busted and a fake `vow`.
local M = {}

local Policy = {}
Policy.__index = Policy
Policy.__name = "policy"

-- The fields a policy table may have, with what each holds (for errors).
local FIELDS = {
  promises = "promise names, a string such as \"stdio rpath\"",
  paths = "path rules: { [\"/usr\"] = \"r\", \"/etc\", {\"/opt/x\", \"rx\", optional = true} }",
  connect = "TCP ports to connect to: a number, \"any\", or a list of them",
  bind = "TCP ports to bind: a number, \"any\", or a list of them",
  limits = "limits: { memory = \"512M\", procs = 64, ... }",
  caps = "capabilities to keep: { \"net_bind_service\" }",
  env = "environment edits: { clear = true, keep = {...}, set = {...}, unset = {...} }",
  violation = "\"report\", \"eperm\" or \"kill\"",
  nice = "true for the lowest CPU and I/O priority",
  best_effort = "true to run even when the kernel lacks a mechanism",
  notes = "explanations shown by vow show",
}
local FIELD_NAMES = {}
for k in pairs(FIELDS) do FIELD_NAMES[#FIELD_NAMES + 1] = k end
table.sort(FIELD_NAMES)

local LETTERS = "rwxcl"

-- Errors name the user's line: vow.fail skips policy-lib's frames.
local function fail(fmt, ...)
  vow.fail(string.format(fmt, ...))
end

-- The edit distance, for "did you mean".
local function distance(a, b)
  local prev = {}
  for j = 0, #b do prev[j] = j end
  for i = 1, #a do
    local cur = { [0] = i }
    for j = 1, #b do
      local cost = a:byte(i) == b:byte(j) and 0 or 1
      cur[j] = math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
    end
    prev = cur
  end
  return prev[#b]
end

-- " (did you mean X?)" or "".
function M.suggest(word, names)
  local best, bestd
  for _, n in ipairs(names) do
    local d = distance(word, n)
    if d <= (#word >= 4 and 2 or 1) and d < #n and (not bestd or d < bestd) then best, bestd = n, d end
  end
  return best and string.format(" (did you mean %q?)", best) or ""
end

local function known(list)
  local set, names = {}, {}
  for _, n in ipairs(list) do set[n] = true; names[#names + 1] = n end
  return set, names
end

-- "~" and "~/x" are the home; trailing slashes go; nothing else changes
-- (vow resolves symlinks when it applies the rule).
local function norm(path)
  if path == "~" or path:sub(1, 2) == "~/" then path = vow.home() .. path:sub(2) end
  if #path > 1 then path = path:gsub("/+$", "") end
  return path
end
M.norm = norm

-- Sets of letters by their text, checked once: a carve-out gives a
-- hundred rules the same letters.  Each caller gets its own copy.
local checked_perms = {}

local function perms_set(perms, where)
  if type(perms) ~= "string" then
    fail("%s: permissions are a string of letters r w x c l, got %s", where, type(perms))
  end
  local known_set = checked_perms[perms]
  if not known_set then
    known_set = {}
    for c in perms:gmatch(".") do
      if not LETTERS:find(c, 1, true) then
        fail("%s: unknown permission '%s' in %q (letters: r w x c l)", where, c, perms)
      end
      known_set[c] = true
    end
    if not next(known_set) then
      fail("%s: empty permissions add nothing (Landlock only allows): leave the path out", where)
    end
    checked_perms[perms] = known_set
  end
  local set = {}
  for c in pairs(known_set) do set[c] = true end
  return set
end

local LETTER_LIST = { "r", "w", "x", "c", "l" }

local function perms_text(set)
  local out = ""
  for i = 1, #LETTER_LIST do
    local c = LETTER_LIST[i]
    if set[c] then out = out .. c end
  end
  return out
end

local function words(s, what)
  if type(s) == "table" then s = table.concat(s, " ") end
  if type(s) ~= "string" then fail("%s must be a string, got %s", what, type(s)) end
  local out = {}
  for w in s:gmatch("%S+") do out[#out + 1] = w end
  return out
end

local function list_of(v)
  if type(v) == "table" and getmetatable(v) ~= Policy then return v end
  return { v }
end

local function port_of(v, what)
  if v == "any" then return "any" end
  if math.type(v) ~= "integer" or v < 1 or v > 65535 then
    fail("%s: a port is a whole number from 1 to 65535 or \"any\", got %s", what, tostring(v))
  end
  return v
end

-- ---- the value ----

local function empty()
  return setmetatable({ promises = {}, paths = {}, connect = {}, bind = {}, limits = {},
                        caps = {}, env = {}, notes = {} }, Policy)
end

local function copy(p)
  local q = empty()
  for name, src in pairs(p.promises) do q.promises[name] = src end
  for i, r in ipairs(p.paths) do
    q.paths[i] = { path = r.path, perms = r.perms, optional = r.optional, source = r.source }
  end
  for _, kind in ipairs{ "connect", "bind" } do
    for port, src in pairs(p[kind]) do q[kind][port] = src end
  end
  for name, l in pairs(p.limits) do q.limits[name] = l end
  for name, src in pairs(p.caps) do q.caps[name] = src end
  for i, e in ipairs(p.env) do q.env[i] = e end
  for i, n in ipairs(p.notes) do q.notes[i] = n end
  q.violation, q.nice, q.best_effort = p.violation, p.nice, p.best_effort
  q.promised = p.promised
  return q
end

function M.is(x)
  return getmetatable(x) == Policy
end

-- The path rules of FIELDS.paths as { path =, perms = set, optional = }.
local function path_rules(paths, source)
  local out = {}
  if type(paths) ~= "table" then fail("paths must be a table, got %s", type(paths)) end
  local function add(path, perms, optional)
    if type(path) ~= "string" or path == "" then
      fail("paths: a path is a non-empty string, got %s", tostring(path))
    end
    perms = perms or "r"
    out[#out + 1] = { path = norm(path),
                      perms = perms_set(perms, checked_perms[perms] and "" or "paths[" .. path .. "]"),
                      optional = optional or nil, source = source }
  end
  for i, v in ipairs(paths) do
    if type(v) == "string" then
      add(v, "r")
    elseif type(v) == "table" then
      for k in pairs(v) do
        if k ~= 1 and k ~= 2 and k ~= "optional" then
          fail("paths[%d]: a rule is {path, perms, optional = true}; unknown key %s", i, tostring(k))
        end
      end
      add(v[1], v[2], v.optional)
    else
      fail("paths[%d]: a path string or {path, perms}, got %s", i, type(v))
    end
  end
  local keys = {}
  for k in pairs(paths) do
    if type(k) == "string" then keys[#keys + 1] = k
    elseif math.type(k) ~= "integer" or k < 1 or k > #paths then
      fail("paths: unexpected key %s", tostring(k))
    end
  end
  table.sort(keys)
  for _, k in ipairs(keys) do add(k, paths[k]) end
  return out
end

-- Merge Q into P (both values; P changes): what Q adds, added.
local function merge(p, q)
  for name, src in pairs(q.promises) do p.promises[name] = p.promises[name] or src end
  p.promised = p.promised or q.promised
  for _, r in ipairs(q.paths) do
    p.paths[#p.paths + 1] = { path = r.path, perms = r.perms, optional = r.optional, source = r.source }
  end
  for _, kind in ipairs{ "connect", "bind" } do
    for port, src in pairs(q[kind]) do p[kind][port] = p[kind][port] or src end
  end
  for name, l in pairs(q.limits) do p.limits[name] = l end -- later replaces
  for name, src in pairs(q.caps) do p.caps[name] = p.caps[name] or src end
  for _, e in ipairs(q.env) do p.env[#p.env + 1] = e end
  for _, n in ipairs(q.notes) do p.notes[#p.notes + 1] = n end
  p.violation = q.violation or p.violation
  p.nice = p.nice or q.nice
  p.best_effort = p.best_effort or q.best_effort
end

-- The fields of a policy table, checked, as a value.  SOURCE names the
-- user's line for every rule.
local function parse(fields, source, what)
  if M.is(fields) then return fields end
  if type(fields) ~= "table" then fail("%s: expected a table of policy fields, got %s", what, type(fields)) end
  local p = empty()
  for i, v in ipairs(fields) do
    if not M.is(v) then
      fail("%s: item %d is a %s; the list part holds policies (P.new, P.program, ...) to merge in",
           what, i, type(v))
    end
    merge(p, v)
  end
  for k, v in pairs(fields) do
    if math.type(k) == "integer" and k >= 1 and k <= #fields then
      -- a fragment, merged above
    elseif type(k) ~= "string" or not FIELDS[k] then
      fail("%s: unknown field %s%s (fields: %s)", what, tostring(k),
           type(k) == "string" and M.suggest(k, FIELD_NAMES) or "", table.concat(FIELD_NAMES, ", "))
    end
  end
  if fields.promises ~= nil then
    -- given, even empty: "" is the empty set, where only exit works
    p.promised = p.promised or source
    local set, names = known(vow.known.promises)
    for _, w in ipairs(words(fields.promises, "promises")) do
      if not set[w] then fail("%s: unknown promise %q%s", what, w, M.suggest(w, names)) end
      p.promises[w] = p.promises[w] or source
    end
  end
  if fields.paths ~= nil then
    for _, r in ipairs(path_rules(fields.paths, source)) do p.paths[#p.paths + 1] = r end
  end
  for _, kind in ipairs{ "connect", "bind" } do
    if fields[kind] ~= nil then
      for _, v in ipairs(list_of(fields[kind])) do p[kind][port_of(v, kind)] = source end
    end
  end
  if fields.limits ~= nil then
    if type(fields.limits) ~= "table" then fail("limits must be a table, got %s", type(fields.limits)) end
    local set, names = known(vow.known.limits)
    for name, v in pairs(fields.limits) do
      if type(name) ~= "string" or not set[name] then
        fail("limits: unknown limit %s%s", tostring(name),
             type(name) == "string" and M.suggest(name, names) or "")
      end
      p.limits[name] = { value = v, number = vow.limit_number(name, v), source = source }
    end
  end
  if fields.caps ~= nil then
    for _, c in ipairs(words(fields.caps, "caps")) do p.caps[c] = source end
  end
  if fields.env ~= nil then
    local e = fields.env
    if type(e) ~= "table" then fail("env must be a table, got %s", type(e)) end
    for k in pairs(e) do
      if k ~= "clear" and k ~= "keep" and k ~= "set" and k ~= "unset" then
        fail("env: unknown key %s%s (clear, keep, set, unset)", tostring(k),
             type(k) == "string" and M.suggest(k, { "clear", "keep", "set", "unset" }) or "")
      end
    end
    if e.clear then p.env[#p.env + 1] = { op = "clear", source = source } end
    for _, n in ipairs(words(e.keep or "", "env.keep")) do
      p.env[#p.env + 1] = { op = "keep", name = n, source = source }
    end
    local names = {}
    for n in pairs(e.set or {}) do names[#names + 1] = n end
    table.sort(names)
    for _, n in ipairs(names) do
      if type(n) ~= "string" or type(e.set[n]) ~= "string" then
        fail("env.set: names and values are strings")
      end
      p.env[#p.env + 1] = { op = "set", name = n, value = e.set[n], source = source }
    end
    for _, n in ipairs(words(e.unset or "", "env.unset")) do
      p.env[#p.env + 1] = { op = "unset", name = n, source = source }
    end
  end
  if fields.violation ~= nil then
    local set, names = known(vow.known.violations)
    if not set[fields.violation] then
      fail("violation: unknown mode %s%s (report, eperm or kill)", tostring(fields.violation),
           type(fields.violation) == "string" and M.suggest(fields.violation, names) or "")
    end
    p.violation = { mode = fields.violation, source = source }
  end
  if fields.nice then p.nice = source end
  if fields.best_effort then p.best_effort = source end
  for _, n in ipairs(list_of(fields.notes or {})) do
    p.notes[#p.notes + 1] = { text = tostring(n), source = source }
  end
  return p
end

--- P.new(fields): a policy value.  FIELDS has any of promises, paths,
-- connect, bind, limits, caps, env, violation, nice, best_effort, notes;
-- its list part holds other policies (fragments) merged in first.
function M.new(fields)
  return parse(fields, vow.source(), "P.new")
end

--- P.load(name_or_path): the policy a built-in or file policy returns,
-- not applied.  Only a policy that returns a value can be loaded.
function M.load(name)
  local v = vow.load(name)
  if M.is(v) then return v end
  return parse(v, vow.source(), "P.load(" .. tostring(name) .. ")")
end

local function value(x, what)
  if type(x) == "string" then return M.load(x) end
  return parse(x, vow.source(), what)
end

--- P.extend(base, ...): BASE (a value or a policy's name) with everything
-- the others add.  Limits and violation given later replace earlier ones.
function M.extend(base, ...)
  local p = copy(value(base, "P.extend"))
  for i = 1, select("#", ...) do merge(p, value((select(i, ...)), "P.extend")) end
  return p
end

function Policy:extend(...)
  return M.extend(self, ...)
end

-- Is PATH the same as or beneath DIR?
local function beneath(path, dir)
  return path == dir or dir == "/" or path:sub(1, #dir + 1) == dir .. "/"
end

local function resolved(path)
  return vow.realpath(path) or path
end

-- Are the letters A among B's (l is part of r)?
local function subset(a, b)
  for c in pairs(a) do
    if not b[c] and not (c == "l" and b.r) then return false end
  end
  return true
end

--- p:narrow(fields): a policy that may only take away from P.  Each field
-- given replaces P's with a part of it: promises, caps and ports must be
-- among P's; every path rule must lie within one of P's rules with no
-- letter that rule lacks; limits may only be lowered (or set where P had
-- none); env may clear, keep and unset but not set.  Fields not given
-- stay as in P.  Anything that would add is an error naming the line.
function Policy:narrow(fields)
  local source = vow.source()
  if type(fields) ~= "table" or M.is(fields) then
    fail("narrow: expected a table of fields to narrow to, got %s", M.is(fields) and "a policy" or type(fields))
  end
  local want = parse(fields, source, "narrow")
  if want.best_effort then fail("narrow: best_effort runs with less than asked, so narrowing cannot add it") end
  for _, e in ipairs(want.env) do
    if e.op == "set" then fail("narrow: env.set adds to the environment; use extend") end
    if e.op == "keep" then
      for _, b in ipairs(self.env) do
        if b.op == "clear" or (b.op == "unset" and b.name == e.name) then
          fail("narrow: env.keep %q could bring back a variable the policy being narrowed removed", e.name)
        end
      end
    end
  end
  if want.violation and self.violation and self.violation.mode == "kill" and want.violation.mode ~= "kill" then
    fail("narrow: violation %q is milder than the kill of the policy being narrowed", want.violation.mode)
  end
  local q = copy(self)
  local given = {}
  for k in pairs(fields) do given[k] = true end
  for _, frag in ipairs(fields) do -- fragments carry rules of their own
    if next(frag.promises) or frag.promised then given.promises = true end
    if #frag.paths > 0 then given.paths = true end
    if next(frag.caps) then given.caps = true end
    if next(frag.connect) then given.connect = true end
    if next(frag.bind) then given.bind = true end
  end
  if given.promises then
    for name in pairs(want.promises) do
      if not self.promises[name] then
        fail("narrow: promise %q is not in the policy being narrowed (narrowing may only take away)", name)
      end
    end
    q.promises = want.promises
    q.promised = q.promised or want.promised or source
  end
  if given.paths then
    for _, r in ipairs(want.paths) do
      local rp, ok = resolved(r.path), false
      for _, b in ipairs(self.paths) do
        if beneath(rp, resolved(b.path)) and subset(r.perms, b.perms) then ok = true; break end
      end
      if not ok then
        fail("narrow: %s:%s is not within any rule of the policy being narrowed " ..
             "(narrowing may only take away)", r.path, perms_text(r.perms))
      end
    end
    if #want.paths == 0 and #self.paths > 0 then
      fail("narrow: paths = {} would leave no path rule, and with none Landlock does not restrict the " ..
           "file system at all; keep the rules the command needs")
    end
    q.paths = want.paths
  end
  for _, kind in ipairs{ "connect", "bind" } do
    if given[kind] then
      for port in pairs(want[kind]) do
        if not self[kind][port] and not self[kind].any then
          fail("narrow: %s %s is not in the policy being narrowed", kind, tostring(port))
        end
      end
      q[kind] = want[kind]
    end
  end
  if (next(self.connect) or next(self.bind)) and not next(q.connect) and not next(q.bind) then
    fail("narrow: no port rule would be left, and without one TCP connect and bind go anywhere")
  end
  for name, l in pairs(want.limits) do
    local b = self.limits[name]
    if b and l.number > b.number then
      fail("narrow: limit %s %s is above the %s of the policy being narrowed", name,
           tostring(l.value), tostring(b.value))
    end
    q.limits[name] = l
  end
  if given.caps then
    for c in pairs(want.caps) do
      if not self.caps[c] then fail("narrow: capability %q is not kept by the policy being narrowed", c) end
    end
    q.caps = want.caps
  end
  for _, e in ipairs(want.env) do q.env[#q.env + 1] = e end
  if want.violation then q.violation = want.violation end
  q.nice = q.nice or want.nice
  for _, n in ipairs(want.notes) do q.notes[#q.notes + 1] = n end
  return q
end

--- p:without(fields): P with the named things taken away: promises (a
-- string), paths (a list of paths whose rules go, or { [path] = letters }
-- to take letters away), connect and bind ports, caps.  Naming something P
-- does not have is an error (a typo would otherwise take nothing away).
function Policy:without(fields)
  if type(fields) ~= "table" or M.is(fields) then
    fail("without: expected a table such as {promises = \"inet\"}, got %s", type(fields))
  end
  local q = copy(self)
  for k in pairs(fields) do
    if k ~= "promises" and k ~= "paths" and k ~= "connect" and k ~= "bind" and k ~= "caps" then
      fail("without: cannot take away %s (only promises, paths, connect, bind, caps)%s", tostring(k),
           k == "limits" and "; lower a limit with narrow" or "")
    end
  end
  for _, w in ipairs(words(fields.promises or "", "promises")) do
    if not q.promises[w] then fail("without: promise %q is not in the policy", w) end
    q.promises[w] = nil
  end
  local paths = fields.paths or {}
  if type(paths) ~= "table" then fail("without: paths must be a table, got %s", type(paths)) end
  local function take(path, letters)
    local n, found = norm(path), false
    for i = #q.paths, 1, -1 do
      local r = q.paths[i]
      if r.path == n then
        found = true
        if letters then
          local set = {}
          for c in pairs(r.perms) do set[c] = true end
          for c in letters:gmatch(".") do set[c] = nil end
          if next(set) then
            q.paths[i] = { path = r.path, perms = set, optional = r.optional, source = r.source }
          else
            table.remove(q.paths, i)
          end
        else
          table.remove(q.paths, i)
        end
      end
    end
    if not found then fail("without: no path rule for %s in the policy", path) end
  end
  local had = #q.paths
  for _, v in ipairs(paths) do take(v) end
  for k, v in pairs(paths) do
    if type(k) == "string" then perms_set(v, "without.paths"); take(k, v) end
  end
  if had > 0 and #q.paths == 0 then
    fail("without: taking away every path rule would leave the file system unrestricted (Landlock " ..
         "restricts nothing without a rule); keep at least the rules the command needs")
  end
  local ports = next(q.connect) or next(q.bind)
  for _, kind in ipairs{ "connect", "bind" } do
    for _, v in ipairs(list_of(fields[kind] or {})) do
      local port = port_of(v, kind)
      if not q[kind][port] then fail("without: %s %s is not in the policy", kind, tostring(port)) end
      q[kind][port] = nil
    end
  end
  if ports and not next(q.connect) and not next(q.bind) then
    fail("without: taking away the last port rule would let TCP connect and bind go anywhere")
  end
  for _, c in ipairs(words(fields.caps or "", "caps")) do
    if not q.caps[c] then fail("without: capability %q is not kept by the policy", c) end
    q.caps[c] = nil
  end
  return q
end

local function sorted_keys(t)
  local keys = {}
  for k in pairs(t) do keys[#keys + 1] = k end
  table.sort(keys, function(a, b) return tostring(a) < tostring(b) end)
  return keys
end

--- P.apply(p): give the policy to vow (what vow.include and -f do with a
-- returned value).  Each rule is applied at the line that wrote it.
function M.apply(p)
  if not M.is(p) then p = parse(p, vow.source(), "the policy returned") end
  for _, name in ipairs(sorted_keys(p.promises)) do
    vow.at(p.promises[name], vow.promise, name)
  end
  if p.promised and not next(p.promises) then vow.at(p.promised, vow.promise, "") end
  -- the rules of one line at once (a carve-out makes a hundred)
  local i, rules = 1, p.paths
  while i <= #rules do
    local j = i
    while j < #rules and rules[j + 1].source == rules[i].source do j = j + 1 end
    vow.at(rules[i].source, function()
      for k = i, j do
        local r = rules[k]
        vow.unveil(r.path, perms_text(r.perms), { optional = r.optional })
      end
    end)
    i = j + 1
  end
  for _, kind in ipairs{ "connect", "bind" } do
    for _, port in ipairs(sorted_keys(p[kind])) do vow.at(p[kind][port], vow[kind], port) end
  end
  for _, name in ipairs(sorted_keys(p.limits)) do
    local l = p.limits[name]
    vow.at(l.source, vow.limit, { [name] = l.value })
  end
  for _, c in ipairs(sorted_keys(p.caps)) do vow.at(p.caps[c], vow.caps.keep, c) end
  for _, e in ipairs(p.env) do
    if e.op == "clear" then vow.at(e.source, vow.env.clear)
    elseif e.op == "set" then vow.at(e.source, vow.env.set, e.name, e.value)
    else vow.at(e.source, vow.env[e.op], e.name) end
  end
  if p.violation then vow.at(p.violation.source, vow.violation, p.violation.mode) end
  if p.nice then vow.at(p.nice, vow.nice) end
  if p.best_effort then vow.at(p.best_effort, vow.best_effort) end
  for _, n in ipairs(p.notes) do vow.at(n.source, vow.note, n.text) end
end

--- p:rules(): the path rules as { path, perms, source } with perms as text
-- (for tests and for policies that look at what they built).
function Policy:rules()
  local out = {}
  for _, r in ipairs(self.paths) do
    out[#out + 1] = { path = r.path, perms = perms_text(r.perms), optional = r.optional, source = r.source }
  end
  return out
end

--- p:promise_list(): the promises, sorted.
function Policy:promise_list()
  return sorted_keys(self.promises)
end

M.perms_text = perms_text
M.beneath = beneath
M.fail = fail

-- The helpers (program, interpreter, project, system, carve ...) live in
-- their own module and are reached through this one.
require("helpers")(M)

return M
