-- learn: the policy file `vow learn` writes from what one observed run did.
--
-- learn.write(obs, opts) returns the text of a Lua policy that lets the
-- command do what it did in that run, and as little else as is sensible,
-- laid out for a person to review.  Pure Lua: everything comes in OBS (the C
-- side observes the run and fills it); nothing here calls vow, io or os.
--
-- OBS (paths absolute and resolved; every table may be empty or missing):
--   argv, command, cwd, home, tmp, project (nil: none), date  the run
--   promises   { name = calls }   promises the calls needed (stdio implied)
--   refused    { {call =, count =} }  calls no promise allows (the baseline)
--   paths      { [path] = {r =, w =, x =, c =, d =, l =, dir =} }  counts of
--              read, write, execute, created, removed, listed; dir = true
--   exec_deps  { [program] = {files} }  what the command and every program
--              executed need to start (vow.exec_deps)
--   connect, bind  { [port] = count }   TCP ports; bind's port 0 is an
--              ephemeral port, which only bind = "any" allows
--   procs      most processes and threads alive at once
--   promise_files (optional) { {promise =, path =, perms =} }: the files a
--              promise unveils by itself (promises.c); what they cover
--              needs no rule
-- OPTS: exact = true keeps every file its own rule: no coarsening, no
-- P.project().
--
-- How observations become rules (Landlock: a right on a directory holds
-- for everything beneath it; creating or removing an entry needs c on the
-- directory that holds it, and using what was just created needs the
-- right there too, since the new entry has no rule of its own):
--   * the command's files: P.command(); other programs run: P.program;
--   * anything under the temporary directory: P.tmpdir() instead;
--   * reads in the project: P.project(), and a rule of their own for the
--     secrets it keeps out when the run read them;
--   * other reads: one rule on a directory at depth 3 or more (depth 2
--     below the home) when 3 or more files were read beneath it, else a
--     rule per file;
--   * a file written: its own rule; created or removed: c (and the rights
--     used on it) on the directory holding it, the nearest one that
--     existed before the run;
--   * files under /proc/<pid> (and names that are not absolute paths)
--     are left out, named in a comment: their names change at every run.
-- policy for its table of project secrets (P.secrets.project) and its
-- path test; none of its functions that call vow runs here
local P = require("policy")
local carve = require("carve")

local learn = {}

-- Promises in the order a learned policy lists them.
-- loader is never asked for; tmppath is what P.tmpdir() adds.
learn.promise_order = { "stdio", "rpath", "wpath", "cpath", "dpath", "tmppath", "inet", "mcast", "fattr",
                        "chown", "flock", "unix", "dns", "getpw", "sendfd", "recvfd", "tty", "proc", "thread",
                        "exec", "prot_exec", "settime", "ps", "vminfo", "id" }

learn.min_depth = 3   -- the shallowest directory reads are coarsened to
learn.min_files = 3   -- files read beneath it before it is
learn.many_files = 8  -- files read in one shallower directory (/usr/include) that make it one rule
learn.names_shown = 4 -- names in a comment before "and N more"
learn.column = 44     -- where a rule's comment starts

local LETTERS = { "r", "w", "x", "c", "l" }

-- ---- text ----

local ESCAPES = { ['"'] = '\\"', ["\\"] = "\\\\", ["\n"] = "\\n", ["\r"] = "\\r", ["\t"] = "\\t" }

-- S as a Lua string literal on one line: control characters escaped, so
-- no name can end the string, the line or the file's syntax.
local function quote(s)
  return '"' .. s:gsub('[%c"\\]', function(c)
    return ESCAPES[c] or string.format("\\%03d", c:byte())
  end) .. '"'
end
learn.quote = quote

-- S fit for a line comment: a comment ends only at a line break, so the
-- control characters (\n, \r among them) are written as escapes.
local function shown(s)
  return (tostring(s):gsub("%c", function(c) return string.format("\\%03d", c:byte()) end))
end
learn.shown = shown

-- NAMES joined, the first few and "and N more".
local function some(names)
  local n = #names
  local out = {}
  for i = 1, math.min(n, learn.names_shown) do out[i] = shown(names[i]) end
  local text = table.concat(out, ", ")
  if n > learn.names_shown then text = text .. string.format(" and %d more", n - learn.names_shown) end
  return text
end

local function plural(n, one, many)
  return string.format("%d %s", n, n == 1 and one or many)
end

-- An argument as a shell would need it, for the header.
local function shell_word(a)
  if a ~= "" and a:match("^[%w%-%./_=:,+@%%]+$") then return a end
  return "'" .. a:gsub("'", "'\\''") .. "'"
end

local function letters_text(set)
  local out = ""
  for _, c in ipairs(LETTERS) do
    if set[c] then out = out .. c end
  end
  return out
end

-- ---- paths ----

local beneath = P.beneath

local function parent(path)
  local p = path:match("^(.*)/[^/]*$")
  if p == nil or p == "" then return "/" end
  return p
end

local function depth(path)
  local n = 0
  for _ in path:gmatch("[^/]+") do n = n + 1 end
  return n
end

-- The ancestor of PATH at depth D (its first D components).
local function ancestor(path, d)
  local out = ""
  for c in path:gmatch("[^/]+") do
    if d == 0 then break end
    out, d = out .. "/" .. c, d - 1
  end
  return out == "" and "/" or out
end

-- PATH relative to DIR (PATH beneath it).
local function relative(path, dir)
  if path == dir then return "." end
  return dir == "/" and path:sub(2) or path:sub(#dir + 2)
end

local function sorted_keys(t)
  local keys = {}
  for k in pairs(t or {}) do keys[#keys + 1] = k end
  table.sort(keys)
  return keys
end

-- A per-process /proc entry (/proc/self resolved): another name next run.
local function per_process(path)
  return path:match("^/proc/%d+$") or path:match("^/proc/%d+/")
end

-- Is REL (relative to the project) one of the secrets P.project() keeps
-- out, or beneath one?  A component of a secret may hold *.
local function secret_test(list)
  local patterns = {}
  for _, s in ipairs(list) do
    local parts = {}
    for c in s:gmatch("[^/]+") do parts[#parts + 1] = carve.matcher(c) end
    patterns[#patterns + 1] = parts
  end
  return function(rel)
    local comps = {}
    for c in rel:gmatch("[^/]+") do comps[#comps + 1] = c end
    for _, parts in ipairs(patterns) do
      local ok = #comps >= #parts
      for i = 1, #parts do
        if not ok then break end
        ok = parts[i](comps[i])
      end
      if ok then return true end
    end
    return false
  end
end

-- ---- checking what came in ----

local function bad(fmt, ...)
  error("learn: " .. string.format(fmt, ...), 0)
end

local function check(obs)
  if type(obs) ~= "table" then bad("obs must be a table, got %s", type(obs)) end
  for path, a in pairs(obs.paths or {}) do
    if type(path) ~= "string" or type(a) ~= "table" then bad("obs.paths: path -> {r =, w = ...}") end
  end
  for prog, deps in pairs(obs.exec_deps or {}) do
    if type(prog) ~= "string" or type(deps) ~= "table" then bad("obs.exec_deps: program -> {files}") end
  end
  for _, kind in ipairs{ "connect", "bind" } do
    for port in pairs(obs[kind] or {}) do
      local low = kind == "bind" and 0 or 1
      if math.type(port) ~= "integer" or port < low or port > 65535 then
        bad("obs.%s: a port is a whole number from %d to 65535, got %s", kind, low, tostring(port))
      end
    end
  end
  if obs.procs ~= nil and math.type(obs.procs) ~= "integer" then bad("obs.procs: a whole number") end
end

-- ---- the plan: what the policy holds, before any text ----
--
-- learn.plan runs the steps below in order over S, the state: obs, exact,
-- the plan being filled, and rules (path -> rule being built).

-- The promises: stdio, the ones asked for in the order above (names vow
-- knows that the list lacks come last, sorted), never loader; tmppath
-- comes as P.tmpdir().
local function promises_of(obs)
  local want = { stdio = true }
  for name in pairs(obs.promises or {}) do want[name] = true end
  want.loader = nil
  local tmppath = want.tmppath
  want.tmppath = nil
  local out = {}
  for _, name in ipairs(learn.promise_order) do
    if want[name] then out[#out + 1] = name; want[name] = nil end
  end
  for _, name in ipairs(sorted_keys(want)) do out[#out + 1] = name end
  return out, tmppath
end

-- A rule being built: letters, comment parts, names created and removed.
local function rule_at(S, path)
  local r = S.rules[path]
  if not r then
    r = { path = path, perms = {}, notes = {}, created = {}, removed = {} }
    S.rules[path] = r
  end
  return r
end

-- Is PATH temporary: under obs.tmp, but not in a work tree the run had
-- there (its working directory or project)?
local function temporary(obs, path)
  if not obs.tmp or not beneath(path, obs.tmp) then return false end
  for _, d in ipairs{ obs.cwd or false, obs.project or false } do
    if d and beneath(d, obs.tmp) and beneath(path, d) then return false end
  end
  return true
end

-- The command and every other program run: S.started holds the files
-- P.command() and P.program() give rx.  A program made in this run did
-- not exist before it, so it cannot be a P.program: S.made_programs.
local function plan_programs(S)
  local obs, deps, paths = S.obs, S.obs.exec_deps or {}, S.obs.paths or {}
  local own = obs.command and deps[obs.command]
  S.plan.command = { path = obs.command, files = own and #own }
  for _, f in ipairs(own or {}) do S.started[f] = true end
  for _, prog in ipairs(sorted_keys(deps)) do
    if prog == obs.command then
      -- P.command()
    elseif paths[prog] and paths[prog].c then
      S.made_programs[#S.made_programs + 1] = prog
    else
      table.insert(S.plan.programs, { path = prog, runs = paths[prog] and paths[prog].x or 0 })
      S.started[prog] = true
      for _, f in ipairs(deps[prog]) do S.started[f] = true end
    end
  end
end

-- The promise that unveils PATH with every letter of WANT by itself.
local function by_promise(S, path, want)
  for _, pf in ipairs(S.obs.promise_files or {}) do
    if S.promised[pf.promise] and beneath(path, pf.path) then
      local ok = true
      for c in pairs(want) do
        if not pf.perms:find(c, 1, true) and not (c == "l" and pf.perms:find("r", 1, true)) then ok = false end
      end
      if ok then return pf.promise end
    end
  end
end

-- The directory a new or removed entry needs c on: its parent, or the
-- nearest one above that was not itself made in this run.
local function holder(paths, path)
  local d = parent(path)
  while d ~= "/" and paths[d] and paths[d].c do d = parent(d) end
  return d
end

-- One observed PATH with what was done to it, A.  What is left once the
-- helpers, the holder's rule and the promises have taken their part goes
-- to S.singles, for a rule of its own.
local function plan_path(S, path, a)
  local obs, plan = S.obs, S.plan
  if path:sub(1, 1) ~= "/" or per_process(path) then
    plan.left_out[#plan.left_out + 1] = path
    return
  end
  if temporary(obs, path) then
    S.tmp_paths = S.tmp_paths + 1
    return
  end
  local own = {}
  if a.r then own[a.dir and "l" or "r"] = true end
  if a.l then own.l = true end
  if a.w then own.w = true end
  if a.x then own.x = true end
  if a.c or a.d then
    local h = holder(obs.paths, path)
    local r = rule_at(S, h)
    r.perms.c = true
    local name = relative(path, h) .. (a.dir and "/" or "")
    if a.c then
      -- what it did to the new entry needs that right on the holder too
      for c in pairs(own) do r.perms[c] = true end
      own = {}
      r.created[#r.created + 1] = name
    else
      r.removed[#r.removed + 1] = name
    end
  end
  if S.started[path] then own.r, own.x = nil, nil end
  local project = obs.project
  local in_project = project and beneath(path, project)
  local secret = not S.exact and in_project and path ~= project and S.is_secret(relative(path, project))
  -- P.project() reads the rest; a file written keeps its r, so that its
  -- rule says all that was done to it
  if not S.exact and in_project and not secret and (own.r or own.l) and not own.w then
    if own.r then S.project_use.files = S.project_use.files + 1 else S.project_use.dirs = S.project_use.dirs + 1 end
    own.r, own.l = nil, nil
  end
  if next(own) then
    local promise = by_promise(S, path, own)
    if promise then
      S.brought[promise] = S.brought[promise] or {}
      table.insert(S.brought[promise], path)
      return
    end
    local did = {}
    for c in pairs(own) do did[c] = true end
    S.singles[#S.singles + 1] = { path = path, perms = own, did = did, optional = a.d and not a.c,
                                  secret = secret, coarsen = a.r and not a.dir and not in_project }
  end
end

-- A program made in this run: what it needs to start, file by file.
local function plan_made_programs(S)
  for _, prog in ipairs(S.made_programs) do
    for _, f in ipairs(S.obs.exec_deps[prog]) do
      if f ~= prog and not S.started[f] then
        S.started[f] = true
        local r = rule_at(S, f)
        r.perms.r, r.perms.x = true, true
        r.notes[#r.notes + 1] = "to start " .. prog .. ", made in this run"
      end
    end
  end
end

-- The directory PATH's read may be coarsened to, if any: at min_depth,
-- or deeper in the home (~/.config/app, not all of ~/.config).
local function anchor(obs, path)
  local d = learn.min_depth
  if obs.home and obs.home ~= "/" and beneath(path, obs.home) then d = math.max(d, depth(obs.home) + 2) end
  if depth(path) > d then return ancestor(path, d) end
end

-- Other reads: one rule on a directory with min_files files read beneath
-- it, then the single rules, merged into a directory's rule when there
-- is one for the same path.
local function plan_coarsen(S)
  local read_under = {}
  if not S.exact then
    for _, s in ipairs(S.singles) do
      local d = s.coarsen and anchor(S.obs, s.path)
      if d then read_under[d] = (read_under[d] or 0) + 1 end
    end
  end
  local chosen = {}
  for _, d in ipairs(sorted_keys(read_under)) do
    if read_under[d] >= learn.min_files then
      local r = rule_at(S, d)
      r.perms.r, r.files_read = true, read_under[d]
      chosen[#chosen + 1] = d
    end
  end
  -- many files in one directory above min_depth (/usr/include): that
  -- directory, but never /etc (its secrets), the home, or /proc, /dev, /sys
  local in_dir = {}
  local function kept_apart(d)
    for _, top in ipairs{ "/etc", "/proc", "/dev", "/sys" } do
      if beneath(d, top) then return true end
    end
    return S.obs.home and S.obs.home ~= "/" and beneath(d, S.obs.home) or depth(d) < 2
  end
  for _, s in ipairs(S.exact and {} or S.singles) do
    local covered = false
    for _, d in ipairs(chosen) do covered = covered or beneath(s.path, d) end
    local d = parent(s.path)
    if s.coarsen and not covered and not kept_apart(d) then in_dir[d] = (in_dir[d] or 0) + 1 end
  end
  for _, d in ipairs(sorted_keys(in_dir)) do
    if in_dir[d] >= learn.many_files then
      local r = rule_at(S, d)
      r.perms.r, r.files_read = true, in_dir[d]
    end
  end
  for _, s in ipairs(S.singles) do
    local r = S.rules[s.path]
    if r then
      for c in pairs(s.perms) do r.perms[c] = true end
      r.listed = s.perms.l
    else
      r = rule_at(S, s.path)
      r.perms, r.did, r.optional, r.secret, r.single = s.perms, s.did, s.optional, s.secret, true
    end
  end
end

-- The rules in path order, without the reads a rule above already holds
-- (r beneath r, unless the file was written; l beneath r or l; l beside r).
local function plan_rules(S)
  for _, path in ipairs(sorted_keys(S.rules)) do
    local r = S.rules[path]
    local d = path
    while d ~= "/" do
      d = parent(d)
      local above = S.rules[d]
      if above and above.perms.r and not r.perms.w then r.perms.r = nil end
      if above and (above.perms.r or above.perms.l) then r.perms.l = nil end
    end
    if r.perms.r then r.perms.l = nil end
    if next(r.perms) then S.plan.rules[#S.plan.rules + 1] = r end
  end
end

--- learn.plan(obs, opts): the policy as data, for learn.write:
-- { promises, promise_files, command, programs, tmpdir, project, rules,
--   connect, bind, procs, refused, left_out }.
function learn.plan(obs, opts)
  check(obs)
  local plan = { programs = {}, rules = {}, left_out = {}, promise_files = {}, refused = {} }
  local tmppath
  plan.promises, tmppath = promises_of(obs)
  local S = { obs = obs, exact = (opts or {}).exact, plan = plan, rules = {}, promised = {}, started = {},
              made_programs = {}, singles = {}, brought = {}, tmp_paths = 0, project_use = { files = 0, dirs = 0 },
              is_secret = secret_test(P.secrets.project) }
  for _, name in ipairs(plan.promises) do S.promised[name] = true end

  plan_programs(S)
  for _, path in ipairs(sorted_keys(obs.paths)) do plan_path(S, path, obs.paths[path]) end
  plan_made_programs(S)
  plan_coarsen(S)
  plan_rules(S)

  for _, name in ipairs(plan.promises) do
    if S.brought[name] then table.insert(plan.promise_files, { promise = name, paths = S.brought[name] }) end
  end
  if S.tmp_paths > 0 or tmppath then plan.tmpdir = { paths = S.tmp_paths, dir = obs.tmp } end
  local pu = S.project_use
  if pu.files + pu.dirs > 0 then plan.project = { root = obs.project, files = pu.files, dirs = pu.dirs } end
  for _, kind in ipairs{ "connect", "bind" } do
    local ports = sorted_keys(obs[kind])
    if #ports > 0 then plan[kind] = { ports = ports, counts = obs[kind] } end
  end
  if obs.procs and obs.procs > 1 then plan.procs = { seen = obs.procs, limit = math.max(16, 2 * obs.procs) } end
  for _, f in ipairs(obs.refused or {}) do plan.refused[#plan.refused + 1] = f end
  table.sort(plan.refused, function(a, b) return tostring(a.call) < tostring(b.call) end)
  table.sort(plan.left_out)
  return plan
end

-- ---- the text ----
--
-- Every name that came in is written into code only through quote, and
-- into comments only through shown.

-- Lines of the text being written.
local function lines()
  local out = {}
  local w = {}
  function w.add(fmt, ...) out[#out + 1] = string.format(fmt, ...) end
  -- CODE, indented, with COMMENT at the column
  function w.code(indent, code, comment)
    local text = string.rep(" ", indent) .. code
    if comment and comment ~= "" then
      text = text .. string.rep(" ", math.max(2, learn.column - #text)) .. "-- " .. shown(comment)
    end
    out[#out + 1] = text
  end
  function w.text() return table.concat(out, "\n") .. "\n" end
  return w
end

-- What a rule's comment says.
local function describe(r, project)
  local parts = {}
  if r.files_read then parts[#parts + 1] = plural(r.files_read, "file", "files") .. " read under it" end
  if r.single then
    local did = {}
    if r.did.r then did[#did + 1] = "read" end
    if r.did.l then did[#did + 1] = "listed" end
    if r.did.w then did[#did + 1] = "written" end
    if r.did.x then did[#did + 1] = "executed" end
    parts[#parts + 1] = table.concat(did, " and ")
  elseif r.listed then
    parts[#parts + 1] = "listed"
  end
  for _, n in ipairs(r.notes) do parts[#parts + 1] = n end
  if #r.created > 0 then parts[#parts + 1] = string.format("%d created: %s", #r.created, some(r.created)) end
  if #r.removed > 0 then parts[#parts + 1] = string.format("%d removed: %s", #r.removed, some(r.removed)) end
  if r.optional then parts[#parts + 1] = "optional: the run removed it" end
  if r.secret then parts[#parts + 1] = "REVIEW: a secret P.project() keeps out, and this run read it" end
  if project and r.path == project and r.perms.c then
    parts[#parts + 1] = "c here reaches the project's .vow.lua and .env too"
  end
  return table.concat(parts, "; ")
end

-- The comment block above the code: the run, what was refused, what was
-- left out.
local function write_header(w, obs, plan)
  local argv = {}
  for i, a in ipairs(obs.argv or {}) do argv[i] = shell_word(tostring(a)) end
  w.add("-- Learned by vow learn%s from: %s", obs.date and (" on " .. shown(obs.date)) or "",
        #argv > 0 and shown(table.concat(argv, " ")) or "(no command)")
  if obs.cwd then w.add("-- in %s", shown(obs.cwd)) end
  w.add("-- Review it before use: it allows what this one run did, and little else.")
  if #plan.refused > 0 then
    w.add("--")
    w.add("-- Refused in this run, and refused by every policy (the program tried):")
    for _, f in ipairs(plan.refused) do
      w.add("--   %s  (%s)", shown(f.call), plural(f.count or 1, "time", "times"))
    end
  end
  if #plan.left_out > 0 then
    w.add("--")
    w.add("-- Left out, as no rule can name them ahead (per-process /proc entries):")
    w.add("--   %s", some(plan.left_out))
  end
end

-- The promises and the helpers: the list part of P.new{...}.
local function write_helpers(w, plan)
  local brings = {}
  for _, b in ipairs(plan.promise_files) do
    brings[#brings + 1] = string.format("%s brings %s", b.promise, some(b.paths))
  end
  w.code(2, string.format("promises = %s,", quote(table.concat(plan.promises, " "))), table.concat(brings, "; "))

  local c = plan.command
  w.code(2, "P.command(),", string.format("%s, its loader and libraries%s", c.path or "the command",
                                          c.files and (" (" .. plural(c.files, "file", "files") .. ")") or ""))
  for _, prog in ipairs(plan.programs) do
    w.code(2, string.format("P.program(%s),", quote(prog.path)),
           string.format("run%s, with its loader and libraries",
                         prog.runs > 0 and (" " .. plural(prog.runs, "time", "times")) or ""))
  end
  local t = plan.tmpdir
  if t then
    w.code(2, "P.tmpdir(),", t.paths > 0 and string.format(
      "%s under %s in this run: a private $TMPDIR instead, if the program honours it",
      plural(t.paths, "path", "paths"), t.dir) or "a private $TMPDIR (the run asked for tmppath)")
  end
  local pr = plan.project
  if pr then
    local used = {}
    if pr.files > 0 then used[#used + 1] = plural(pr.files, "file", "files") .. " read" end
    if pr.dirs > 0 then used[#used + 1] = plural(pr.dirs, "directory", "directories") .. " listed" end
    w.code(2, "P.project(),", string.format("%s read-only without its secrets: %s", pr.root,
                                            table.concat(used, ", ")))
  end
end

-- The fields: paths, connect, bind, limits.
local function write_fields(w, obs, plan)
  if #plan.rules > 0 then
    w.code(2, "paths = {")
    for _, r in ipairs(plan.rules) do
      w.code(4, string.format("{ %s, %s%s },", quote(r.path), quote(letters_text(r.perms)),
                              r.optional and ", optional = true" or ""), describe(r, obs.project))
    end
    w.code(2, "},")
  end
  for _, kind in ipairs{ "connect", "bind" } do
    local k = plan[kind]
    if k then
      local ports, counts = {}, {}
      for i, port in ipairs(k.ports) do
        ports[i] = string.format("%d", port)
        counts[i] = string.format("%d (%s)", port, plural(k.counts[port], "time", "times"))
      end
      if k.ports[1] == 0 then -- an ephemeral port: no narrower rule than any allows it
        ports = { '"any"' }
        counts[1] = "an ephemeral port (bind to 0) " .. counts[1]:match("%(.*%)") ..
                    ", which only any allows"
      end
      w.code(2, string.format("%s = { %s },", kind, table.concat(ports, ", ")),
             (kind == "connect" and "connected to " or "bound ") .. table.concat(counts, ", "))
    end
  end
  -- A cap makes every fork wait for vow's supervisor, and a signal that
  -- arrives meanwhile fails it (shells then say "Cannot fork"): offered,
  -- not set, as the sh and build policies set none.
  if plan.procs then
    w.code(2, string.format("-- limits = { procs = %d },", plan.procs.limit),
           string.format("at most %d at once in this run; a cap makes forks wait for vow (README: the process cap)",
                         plan.procs.seen))
  end
end

--- learn.write(obs, opts): the text of the policy file.
function learn.write(obs, opts)
  local plan = learn.plan(obs, opts)
  local w = lines()
  write_header(w, obs, plan)
  w.add('local P = require "policy"')
  w.add("")
  w.add("return P.new{")
  write_helpers(w, plan)
  write_fields(w, obs, plan)
  w.add("}")
  return w.text()
end

return learn
