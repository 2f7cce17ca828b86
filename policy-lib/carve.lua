-- carve: "ROOT with PERMS, except these paths", in rules Landlock can hold.
--
-- Landlock only allows, and a right on a directory holds for everything
-- beneath it, so "the project writable except .git/hooks" has no direct
-- rule.  The carve-out grants PERMS to every entry of ROOT that is not an
-- excluded path and does not hold one, and goes down into the entries
-- that hold one the same way.  The directories on the way down (ROOT, and
-- .git for .git/hooks) get only `l`: their entries can be listed, but no
-- file in them read, and nothing created or removed in them, because any
-- such right would reach the excluded paths too.  What it cannot cover:
--   * new entries directly in those directories cannot be made at all
--     (their existing subdirectories and files keep PERMS);
--   * an entry made there after the policy was compiled (by anyone) gets
--     no rule, and a hard link elsewhere in the tree to an excluded file
--     reaches it under that other name;
--   * excluded names can still be listed (l).
-- Symlinks among the entries get no rule: what one leads to inside ROOT
-- has a rule of its own or is kept out, and outside ROOT the plain rule
-- would not reach it either (Landlock checks the resolved path).
--
-- Pure Lua: the file system comes in as FS = { list = fn(dir) -> entries
-- {name =, type = "file"|"dir"|"link"|"other"} or nil, realpath = fn(path)
-- -> path or nil }, so busted tests it on a fake tree.
local carve = {}

local function split(path)
  local parts = {}
  for c in path:gmatch("[^/]+") do
    if c ~= "." then parts[#parts + 1] = c end
  end
  return parts
end

-- A component with * is a glob over one name: carve.matcher(component)
-- is a function(name) -> whether NAME matches it.
local function matcher(component)
  if not component:find("*", 1, true) then
    return function(name) return name == component end
  end
  local pat = "^" .. component:gsub("[%^%$%(%)%%%.%[%]%+%-%?]", "%%%0"):gsub("%*", ".*") .. "$"
  return function(name) return name:match(pat) ~= nil end
end
carve.matcher = matcher

local function join(dir, name)
  return dir == "/" and "/" .. name or dir .. "/" .. name
end

local function beneath(path, dir)
  return path == dir or dir == "/" or path:sub(1, #dir + 1) == dir .. "/"
end

--- carve.compile(fs, root, perms, except) -> rules, notes, excluded
-- ROOT: an absolute, resolved directory.  PERMS: letters.  EXCEPT: paths
-- relative to ROOT (or absolute beneath it), a component may hold `*`.
-- RULES: list of {path, perms}; NOTES: sentences for `vow show`;
-- EXCLUDED: the existing paths kept out.  Errors are returned as
-- nil, message.
function carve.compile(fs, root, perms, except)
  if type(perms) ~= "string" or not perms:match("^[rwxcl]+$") then
    return nil, string.format("permissions are letters of r w x c l, got %s", tostring(perms))
  end
  if type(except) ~= "table" or #except == 0 then
    return nil, "a carve-out needs a list of paths to keep out"
  end
  local patterns = {}
  for _, e in ipairs(except) do
    if type(e) ~= "string" or e == "" then return nil, "paths to keep out are non-empty strings" end
    local rel = e
    if e:sub(1, 1) == "/" then
      if not beneath(e, root) or e == root then
        return nil, string.format("%s is not beneath %s", e, root)
      end
      rel = root == "/" and e:sub(2) or e:sub(#root + 2)
    end
    local parts = split(rel)
    if #parts == 0 then return nil, string.format("%q would keep out all of %s", e, root) end
    for _, c in ipairs(parts) do
      if c == ".." then return nil, string.format("%q: '..' is not allowed in a carve-out", e) end
    end
    local m = {}
    for i, c in ipairs(parts) do m[i] = matcher(c) end
    patterns[#patterns + 1] = { text = rel, parts = parts, match = m }
  end

  local rules, notes, excluded, listed = {}, {}, {}, {}
  local siblings, links = 0, 0

  -- Walk DIR at DEPTH (the number of components below ROOT), with the
  -- patterns still alive there.
  local function walk(dir, depth, alive)
    local entries = fs.list(dir)
    if not entries then
      notes[#notes + 1] = string.format("%s could not be listed; nothing beneath it is allowed", dir)
      return
    end
    listed[#listed + 1] = dir
    if perms:find("r", 1, true) then rules[#rules + 1] = { path = dir, perms = "l" } end
    -- the patterns whose component here is a plain name, by that name;
    -- the globs are tried on every entry
    local by_name, globs = {}, {}
    for _, p in ipairs(alive) do
      local c = p.parts[depth + 1]
      if c:find("*", 1, true) then
        globs[#globs + 1] = p
      else
        by_name[c] = by_name[c] or {}
        table.insert(by_name[c], p)
      end
    end
    local function sort(p, out, deeper)
      if #p.parts == depth + 1 then return true, deeper end
      deeper[#deeper + 1] = p
      return out, deeper
    end
    for _, e in ipairs(entries) do
      local path = join(dir, e.name)
      local out, deeper = false, {}
      for _, p in ipairs(by_name[e.name] or {}) do out, deeper = sort(p, out, deeper) end
      for _, p in ipairs(globs) do
        if p.match[depth + 1](e.name) then out, deeper = sort(p, out, deeper) end
      end
      if out then
        excluded[#excluded + 1] = path
      elseif e.type == "link" then
        -- Left out: a rule on PATH would hold what the link leads to.
        -- Inside ROOT that has its own rule (or is kept out); outside it
        -- the plain rule on ROOT would not reach it either.
        links = links + 1
      elseif #deeper > 0 then
        if e.type == "dir" then
          walk(path, depth + 1, deeper)
        else
          rules[#rules + 1] = { path = path, perms = perms }
          siblings = siblings + 1
        end
      else
        rules[#rules + 1] = { path = path, perms = perms }
        siblings = siblings + 1
      end
    end
  end
  walk(root, 0, patterns)

  local texts = {}
  for _, p in ipairs(patterns) do texts[#texts + 1] = p.text end
  table.insert(notes, 1, string.format(
    "carve-out: %s:%s except %s: %d rules for what is beside them%s; %s get%s %s: " ..
    "nothing can be created or removed directly in %s, and an entry made there later has no rule",
    root, perms, table.concat(texts, ", "), siblings,
    #excluded > 0 and (" (kept out: " .. table.concat(excluded, ", ") .. ")") or " (none of them exists now)",
    table.concat(listed, ", "), #listed == 1 and "s" or "",
    perms:find("r", 1, true) and "only l (list)" or "no rule", #listed == 1 and "it" or "them"))
  if links > 0 then
    notes[#notes + 1] = string.format("%d symlinks in %s left out (what they lead to inside it has " ..
                                      "its own rule; outside it, %s:%s would not reach either)",
                                      links, table.concat(listed, ", "), root, perms)
  end
  return rules, notes, excluded
end

return carve
