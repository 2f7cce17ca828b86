-- show: render a resolved policy (the table vow.policy() returns) for a
-- person, or as a Lua policy that `vow -f` loads back to the same policy.
-- Pure Lua, no kernel: tested with busted on hand-made tables.
local show = {}

-- The order limits are listed in, as the command line documents them.
show.limit_order = { "memory", "procs", "nofile", "fsize", "cpu", "timeout" }

local function pad(s, n)
  return s .. string.rep(" ", n - #s)
end

-- Lines of a person-readable report, joined with newlines.
function show.human(p)
  local out = {}
  local function add(fmt, ...) out[#out + 1] = string.format(fmt, ...) end

  if #p.sources > 0 then
    add("policy from: %s", table.concat(p.sources, ", "))
  else
    add("policy from: the command line only")
  end

  add("limits:")
  local any = false
  for _, name in ipairs(show.limit_order) do
    local l = p.limits[name]
    if l then
      any = true
      add("  %s %s %s  (%s)", pad(name, 8), pad(l.text, 8), pad(l.what, 50), l.source)
    end
  end
  if not any then add("  none beyond the ones vow inherits") end
  add("  core dumps off (always)")

  if #p.caps == 0 then
    add("capabilities: none kept (as root the bounding set is emptied and securebits locked too)")
  else
    add("capabilities: all dropped except")
    for _, c in ipairs(p.caps) do add("  %s  (%s)", pad(c.name, 20), c.source) end
  end
  add("no_new_privs: on (always)")

  if #p.env == 0 then
    add("environment: inherited unchanged")
  else
    add("environment: inherited, then")
    for _, e in ipairs(p.env) do
      local what
      if e.op == "clear" then what = "clear everything"
      elseif e.op == "keep" then what = "keep " .. e.name
      elseif e.op == "unset" then what = "unset " .. e.name
      else what = string.format("set %s=%s", e.name, e.value) end
      add("  %s  (%s)", pad(what, 40), e.source)
    end
  end

  if p.nice then add("priority: lowest CPU and I/O priority  (%s)", p.nice.source) end
  if p.best_effort then add("best effort: run even if the kernel lacks a mechanism") end

  if not p.has_promises then
    add("promises: none given: only vow's baseline filter (%d BPF instructions)",
        p.filter_size or 0)
  else
    local names = {}
    for _, pr in ipairs(p.promises) do names[#names + 1] = pr.name end
    add("promises: %s  (%d BPF instructions)",
        #names > 0 and table.concat(names, " ") or "none: only exit works", p.filter_size or 0)
    for _, pr in ipairs(p.promises) do add("  %s  (%s)", pad(pr.name, 10), pr.source) end
    if p.implied and #p.implied > 0 then
      add("  %s  (implied: a dynamic loader's libraries, or the files of getpw ps vminfo tmppath)",
          pad(table.concat(p.implied, " "), 10))
    end
  end
  if p.violation then
    add("violation: %s  (%s)", p.violation.mode, p.violation.source)
  else
    add("violation: report (a refused call fails with EPERM and is reported)")
  end
  if #p.paths == 0 and p.restricts_paths then
    add("paths: rules were given, but none of their paths exists: every path is refused")
  elseif #p.paths == 0 then
    add("paths: none given: the file system is not restricted by Landlock")
  else
    add("paths: only these (everything else refused, for root too):")
    for _, r in ipairs(p.paths) do
      add("  %s %s  (%s)", pad(r.perms, 4), r.path .. (r.dir and "" or " (file)"), r.source)
    end
  end
  if not p.ports or #p.ports == 0 then
    add("ports: none given: TCP connect and bind are not restricted by Landlock")
  else
    add("ports: TCP connect and bind only as these allow (the rest refused):")
    for _, r in ipairs(p.ports) do add("  %-7s %s  (%s)", r.kind, tostring(r.port), r.source) end
  end
  if p.notes and #p.notes > 0 then
    add("notes:")
    for _, n in ipairs(p.notes) do add("  %s", n) end
  end
  if (p.landlock_abi or 0) >= 6 then
    add("scoping: no signals to processes outside, no abstract unix sockets made outside")
  else
    add("scoping: needs Landlock ABI 6, this kernel has %s: vow runs only with --best-effort",
        p.landlock_abi and p.landlock_abi > 0 and ("ABI " .. p.landlock_abi) or "no Landlock")
  end
  return table.concat(out, "\n") .. "\n"
end

-- A Lua policy equivalent to P, for `vow show --lua`.
function show.lua(p)
  local out = { "-- written by vow show --lua; load it with vow --no-default -f FILE" }
  local function add(fmt, ...) out[#out + 1] = string.format(fmt, ...) end

  local fields = {}
  for _, name in ipairs(show.limit_order) do
    local l = p.limits[name]
    if l then fields[#fields + 1] = string.format("%s = %q", name, l.text) end
  end
  if #fields > 0 then add("vow.limit{ %s }", table.concat(fields, ", ")) end

  if #p.caps > 0 then
    local names = {}
    for _, c in ipairs(p.caps) do names[#names + 1] = string.format("%q", c.name) end
    add("vow.caps.keep{ %s }", table.concat(names, ", "))
  end

  for _, e in ipairs(p.env) do
    if e.op == "clear" then add("vow.env.clear()")
    elseif e.op == "keep" then add("vow.env.keep(%q)", e.name)
    elseif e.op == "unset" then add("vow.env.unset(%q)", e.name)
    else add("vow.env.set(%q, %q)", e.name, e.value) end
  end

  if p.has_promises then
    local names = {}
    for _, pr in ipairs(p.promises) do names[#names + 1] = pr.name end
    add("vow.promise(%q)", table.concat(names, " "))
  end
  if p.violation then add("vow.violation(%q)", p.violation.mode) end
  for _, r in ipairs(p.ports or {}) do
    add(r.port == "any" and "vow.%s(%q)" or "vow.%s(%d)", r.kind, r.port)
  end
  if #p.paths == 0 and p.restricts_paths then
    add("vow.unveil(\"/nonexistent-path-vow-keeps-restricted\", \"r\", {optional = true})")
  end
  for _, r in ipairs(p.paths) do
    -- the files promises bring come back with the promises
    if not (r.source or ""):match("^promise ") then add("vow.unveil(%q, %q)", r.path, r.perms) end
  end
  for _, n in ipairs(p.notes or {}) do add("-- %s", (n:gsub("\n", " "))) end
  if p.nice then add("vow.nice()") end
  if p.best_effort then add("vow.best_effort()") end
  if p.quiet then add("vow.quiet()") end
  return table.concat(out, "\n") .. "\n"
end

return show
