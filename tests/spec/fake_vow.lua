-- fake_vow: a stand-in for the C primitives of the config stage, so that
-- busted can test policy-lib without the kernel and without the vow binary.
-- Not a spec itself (busted only runs *_spec.lua); the specs load it with
--
--   local fake = dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "fake_vow.lua")
--   local vow, S = fake.install{ tree = {...}, deps = {...}, which = {...}, loads = {...} }
--
-- install() puts a fresh `vow` in _G, drops policy-lib's modules from
-- package.loaded (the next require loads them against the new fake) and
-- returns the fake and its state S:
--   S.source    what vow.source() returns ("user.lua:7" unless a spec sets it)
--   S.fails     the messages given to vow.fail, in order
--   S.calls     the primitives called, in order: { fn = "promise", args = {...}, at = source }
--   S.at        the source vow.at is applying at (nil outside vow.at)
--   S.nodes     the fake file tree: absolute path -> "dir" | "file" | "other" | { link = target }
-- vow.fail raises S.source .. ": " .. message, as the real one names the
-- user's line; a raw Lua error from inside policy-lib would name the
-- library's file instead, which is how the specs tell the two apart.
local F = {}

local MODULES = { "policy", "helpers", "carve", "matrix", "show" }

F.PROMISES = { "chown", "cpath", "dns", "dpath", "exec", "fattr", "flock", "getpw", "id", "inet", "mcast",
               "proc", "prot_exec", "ps", "recvfd", "rpath", "sendfd", "settime", "stdio", "thread",
               "tmppath", "tty", "unix", "vminfo", "wpath" }
F.LIMITS = { "memory", "procs", "nofile", "fsize", "cpu", "timeout" }
F.VIOLATIONS = { "report", "eperm", "kill" }

local function split(path)
  local parts = {}
  for c in path:gmatch("[^/]+") do parts[#parts + 1] = c end
  return parts
end

local function join(dir, name)
  return dir == "/" and "/" .. name or dir .. "/" .. name
end

local function parent(path)
  local p = path:match("^(.*)/[^/]*$")
  if p == nil or p == "" then return "/" end
  return p
end
F.parent, F.join = parent, join

local SIZES = { [""] = 1, K = 1024, M = 1024 ^ 2, G = 1024 ^ 3, T = 1024 ^ 4 }

function F.install(opts)
  opts = opts or {}
  for _, m in ipairs(MODULES) do package.loaded[m] = nil end

  local S = { source = opts.source or "user.lua:7", fails = {}, calls = {}, nodes = { ["/"] = "dir" },
              home = opts.home or "/home/u", cwd = opts.cwd or "/home/u", deps = opts.deps or {},
              which = opts.which or {}, loads = opts.loads or {}, ats = {} }
  local vow = {}

  -- the tree: every parent of a given path is a directory
  function S.add(path, node)
    local d = parent(path)
    while d ~= "/" and S.nodes[d] == nil do
      S.nodes[d] = "dir"
      d = parent(d)
    end
    if path ~= "/" then S.nodes[path] = node end
  end
  for path, node in pairs(opts.tree or {}) do S.add(path, node) end

  local function expand(path)
    if path == "~" or path:sub(1, 2) == "~/" then path = S.home .. path:sub(2) end
    if path:sub(1, 1) ~= "/" then path = join(S.cwd, path) end
    return path
  end

  local function resolve(path, depth)
    if depth > 40 then return nil end
    local cur = "/"
    for _, c in ipairs(split(path)) do
      if c == ".." then
        cur = parent(cur)
      elseif c ~= "." then
        if S.nodes[cur] ~= "dir" then return nil end
        local cand = join(cur, c)
        local node = S.nodes[cand]
        if node == nil then return nil end
        if type(node) == "table" then
          local target = node.link
          if target:sub(1, 1) ~= "/" then target = join(cur, target) end
          cur = resolve(target, depth + 1)
          if not cur then return nil end
        else
          cur = cand
        end
      end
    end
    return cur
  end

  function vow.realpath(path)
    local r = resolve(expand(path), 0)
    if not r then return nil, path .. ": No such file or directory", 2 end
    return r
  end

  function vow.exists(path)
    return resolve(expand(path), 0) ~= nil
  end

  -- readable: what exists, but for the paths in opts.unreadable (or
  -- nothing at all with opts.unreadable = true)
  function vow.readable(path)
    local r = resolve(expand(path), 0)
    local u = opts.unreadable
    return r ~= nil and u ~= true and not (type(u) == "table" and u[r])
  end

  function vow.list(dir)
    local d = resolve(expand(dir), 0)
    if not d or S.nodes[d] ~= "dir" or (opts.unlistable and opts.unlistable[d]) then
      return nil, dir .. ": cannot be listed", 13
    end
    local out = {}
    for path, node in pairs(S.nodes) do
      if path ~= "/" and parent(path) == d then
        local t = type(node) == "table" and "link" or node
        out[#out + 1] = { name = path:match("[^/]+$"), type = t }
      end
    end
    table.sort(out, function(a, b) return a.name < b.name end)
    return out
  end

  function vow.home() return S.home end
  function vow.cwd() return S.cwd end
  function vow.source() return S.source end

  function vow.fail(msg)
    assert(type(msg) == "string", "vow.fail takes a string")
    S.fails[#S.fails + 1] = msg
    error(S.source .. ": " .. msg, 0)
  end

  function vow.at(source, fn, ...)
    assert(type(source) == "string", "vow.at: the source is a string, got " .. type(source))
    assert(type(fn) == "function", "vow.at: a function")
    S.ats[#S.ats + 1] = source
    local saved = S.at
    S.at = source
    local r = table.pack(pcall(fn, ...))
    S.at = saved
    if not r[1] then error(r[2], 0) end
    return table.unpack(r, 2, r.n)
  end

  function vow.exec_deps(name)
    local d = S.deps[name]
    if not d then return nil, name .. ": not found in PATH", 2 end
    local copy = {}
    for i, f in ipairs(d) do copy[i] = f end
    return copy
  end

  function vow.which(name)
    if name:find("/", 1, true) then return name end
    return S.which[name]
  end

  vow.known = { promises = F.PROMISES, limits = F.LIMITS, violations = F.VIOLATIONS }

  function vow.limit_number(name, v)
    local ok = false
    for _, l in ipairs(F.LIMITS) do if l == name then ok = true end end
    if not ok then vow.fail(string.format("unknown limit %q", name)) end
    local n
    if math.type(v) == "integer" then
      n = v
    elseif type(v) == "number" then
      n = math.floor(v)
    elseif type(v) == "string" then
      local digits, unit = v:match("^(%d+)([KMGT]?)$")
      if digits then n = math.tointeger(tonumber(digits) * SIZES[unit]) end
    end
    if not n or n < 0 then vow.fail(string.format("limits: %s: not a size or count: %s", name, tostring(v))) end
    if name == "timeout" or name == "cpu" then n = n * 1000 end
    return n
  end

  function vow.load(name)
    local v = S.loads[name]
    if v == nil then vow.fail(string.format("vow.load: no policy %q", tostring(name))) end
    if type(v) == "function" then return v() end
    return v
  end

  local function record(fn)
    return function(...)
      S.calls[#S.calls + 1] = { fn = fn, args = table.pack(...), at = S.at }
    end
  end
  for _, fn in ipairs{ "include", "promise", "unveil", "connect", "bind", "limit", "violation", "nice",
                       "best_effort", "note" } do
    vow[fn] = record(fn)
  end
  vow.caps = { keep = record("caps.keep") }
  -- vow.env.keep takes names only, each a string, as config.c's env_keep
  -- (a trailing nil is an error there: "a variable name must be a string")
  local keep = record("env.keep")
  local function env_keep(...)
    local n = select("#", ...)
    local list = ...
    if n == 1 and type(list) == "table" then n = #list else list = { ... } end
    for i = 1, n do
      if type(list[i]) ~= "string" then
        vow.fail(string.format("vow.env.keep: a variable name must be a string, got %s", type(list[i])))
      end
    end
    keep(...)
  end
  vow.env = { clear = record("env.clear"), keep = env_keep, set = record("env.set"),
              unset = record("env.unset"), get = function() return nil end }
  vow.argv = opts.argv or {}

  -- the calls as compact strings, for assertions on order
  function S.trace()
    local out = {}
    for _, c in ipairs(S.calls) do
      local args, n = {}, c.args.n
      while n > 0 and c.args[n] == nil do n = n - 1 end -- trailing nils: not shown
      for i = 1, n do
        local a = c.args[i]
        if type(a) == "table" then
          local keys = {}
          for k, v in pairs(a) do keys[#keys + 1] = tostring(k) .. "=" .. tostring(v) end
          table.sort(keys)
          a = "{" .. table.concat(keys, ",") .. "}"
        end
        args[#args + 1] = tostring(a)
      end
      out[#out + 1] = string.format("%s(%s)@%s", c.fn, table.concat(args, " "), tostring(c.at))
    end
    return out
  end

  _G.vow = vow
  return vow, S
end

-- The message of the error FN raises; fails the spec when it raises none.
function F.error_of(fn, ...)
  local ok, err = pcall(fn, ...)
  assert(not ok, "expected an error, got none")
  return tostring(err)
end

-- The path rules of a policy value as "path:perms" strings, in order.
function F.rules(p)
  local out = {}
  for _, r in ipairs(p:rules()) do out[#out + 1] = r.path .. ":" .. r.perms .. (r.optional and "?" or "") end
  return out
end

function F.keys(t)
  local out = {}
  for k in pairs(t) do out[#out + 1] = tostring(k) end
  table.sort(out)
  return out
end

return F
