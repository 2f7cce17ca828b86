-- matrix: one command under many configurations, each with an expectation.
--
-- A matrix file returns a list of configurations:
--
--   local P = require "policy"
--   return {
--     { name = "default", policy = "default", expect = "pass" },
--     { name = "offline", policy = "net-client", expect = "pass" },
--     { name = "stdio only", policy = { promises = "stdio" }, expect = "denied", denied = "rpath" },
--     { name = "no tmp", policy = P.load("default"):without{ promises = "tmppath" }, expect = "fail" },
--     { name = "by hand", policy = function() vow.promise("stdio rpath") end, expect = "pass" },
--   }
--
-- policy: a built-in policy's name or a policy file, a table of policy
-- fields (as for P.new), a policy value, or a function that sets the
-- policy through vow.*.  Each configuration starts from an empty policy
-- (as --no-default).  expect:
--   pass    the command exits with status 0;
--   fail    it exits with another status (or dies of a signal);
--   denied  vow refused at least one of its operations: a syscall vow
--           reported, or, with denied = "/path", an EACCES on that path the
--           command printed ("Permission denied": Landlock refusals are
--           not reported by the kernel, so the command's output is read).
--           denied = "inet" requires a refusal that names that promise.
-- timeout (seconds) ends a configuration that hangs (default 60).
--
-- vow runs each configuration as its own sandboxed run, in parallel, and
-- hands the results back here for the verdicts, the table and JUnit XML.
-- Pure Lua: busted tests it with made-up results.
local M = {}

local EXPECT = { pass = true, fail = true, denied = true }
local KEYS = { name = true, policy = true, expect = true, denied = true, timeout = true }

local function fail(fmt, ...)
  vow.fail(string.format(fmt, ...))
end

--- matrix.check(list): the configurations, checked; errors name the
-- matrix file's line.
function M.check(list)
  if type(list) ~= "table" or #list == 0 then
    fail("a matrix file returns a non-empty list of configurations, got %s",
         type(list) == "table" and "an empty table" or type(list))
  end
  local seen = {}
  for i, c in ipairs(list) do
    local what = string.format("configuration %d", i)
    if type(c) ~= "table" then fail("%s is a %s, not a table", what, type(c)) end
    for k in pairs(c) do
      if not KEYS[k] then
        fail("%s: unknown key %s (name, policy, expect, denied, timeout)", what, tostring(k))
      end
    end
    if type(c.name) ~= "string" or c.name == "" then fail("%s needs a name", what) end
    what = string.format("configuration %q", c.name)
    if seen[c.name] then fail("%s is named twice", what) end
    seen[c.name] = true
    local t = type(c.policy)
    if t ~= "string" and t ~= "table" and t ~= "function" then
      fail("%s: policy is a name or file, a table of fields, a policy or a function; got %s", what, t)
    end
    if not EXPECT[c.expect] then
      fail("%s: expect is \"pass\", \"fail\" or \"denied\", got %s", what, tostring(c.expect))
    end
    if c.denied ~= nil and (c.expect ~= "denied" or type(c.denied) ~= "string") then
      fail("%s: denied names a promise or a path, with expect = \"denied\"", what)
    end
    if c.timeout ~= nil and (type(c.timeout) ~= "number" or c.timeout <= 0) then
      fail("%s: timeout is a number of seconds", what)
    end
  end
  return list
end

--- matrix.load(file): the configurations FILE returns, checked.
function M.load(file)
  local list = vow.load(file)
  -- the list's tables carry no line: errors name the file
  return vow.at(file, function()
    M.check(list)
    local P = require("policy")
    for _, c in ipairs(list) do -- policy fields are checked now, not in each run
      if type(c.policy) == "table" and not P.is(c.policy) then P.new(c.policy) end
    end
    return list
  end)
end

--- matrix.apply(file, index): set the policy of configuration INDEX of
-- FILE (what each run of `vow matrix` does first).
function M.apply(file, index)
  local list = M.check(vow.load(file))
  local c = list[index]
  local P = require("policy")
  if type(c.policy) == "string" then
    -- a file is named from the matrix file's directory, as P.load does
    local name = c.policy
    if (name:find("/", 1, true) or name:match("%.lua$")) and name:sub(1, 1) ~= "/" then
      name = (file:match("^(.*)/[^/]*$") or ".") .. "/" .. name
    end
    vow.include(name)
  elseif type(c.policy) == "function" then
    c.policy()
  else
    P.apply(P.is(c.policy) and c.policy or P.new(c.policy))
  end
end

--- matrix.denials(stderr): the denials vow reported, and the promises
-- they name.
function M.denials(err)
  local lines, promises = {}, {}
  for line in err:gmatch("[^\n]+") do
    if line:match("^vow: denied ") then
      lines[#lines + 1] = line
      -- the promises are the quoted words after "needs" (alternatives too)
      local needs = line:match(": needs (.*)$") or ""
      for p in needs:gmatch('"([%w_ ]+)"') do
        for w in p:gmatch("%S+") do promises[w] = true end
      end
    end
  end
  return lines, promises
end

local function plain_find(s, needle) return s:find(needle, 1, true) ~= nil end

--- matrix.verdict(c, r): did configuration C hold, given the result R =
-- { status = exit status, signal = n or nil, stdout =, stderr =, timed_out = }?
-- Returns ok, and a sentence saying what was seen.
function M.verdict(c, r)
  local lines, promises = M.denials(r.stderr or "")
  r.denials = lines
  local names = {}
  for p in pairs(promises) do names[#names + 1] = p end
  table.sort(names)
  r.promises = names
  local out = (r.stdout or "") .. "\n" .. (r.stderr or "")
  if r.status == 125 and (r.stderr or ""):match("^vow: ") and #lines == 0 then
    return false, "vow itself failed: " .. ((r.stderr or ""):match("^vow: ([^\n]*)") or "")
  end
  if r.timed_out then return false, "timed out" end
  if c.expect == "pass" then
    return r.status == 0, r.status == 0 and "exit 0" or ("exit " .. r.status)
  elseif c.expect == "fail" then
    return r.status ~= 0, "exit " .. r.status
  end
  -- denied
  if not c.denied then
    local any = #lines > 0 or plain_find(out, "Permission denied") or plain_find(out, "Operation not permitted")
    return any, any and "refused" or "nothing was refused"
  end
  if c.denied:sub(1, 1) == "/" or c.denied:sub(1, 1) == "~" then
    local path = c.denied
    if path == "~" or path:sub(1, 2) == "~/" then path = vow.home() .. path:sub(2) end
    -- the path itself, not a longer one it starts (/etc/shadow, not /etc/shadow-)
    local pat = path:gsub("[%^%$%(%)%%%.%[%]%*%+%-%?]", "%%%0") .. "[^%w%-%._/]"
    for line in out:gmatch("[^\n]+") do
      if (line .. "\n"):find(pat) and (plain_find(line, "Permission denied") or plain_find(line, "Operation not permitted")) then
        return true, "refused " .. c.denied
      end
    end
    return false, c.denied .. " was not refused"
  end
  if promises[c.denied] then return true, "refused for lack of " .. c.denied end
  return false, #lines > 0 and ("refusals named " .. table.concat(names, " ") .. ", not " .. c.denied)
                          or ("nothing needing " .. c.denied .. " was refused")
end

local function pad(s, n) return s .. string.rep(" ", math.max(0, n - #s)) end

--- matrix.report(list, results): the table `vow matrix` prints, and the
-- number of configurations whose expectation did not hold.
function M.report(list, results)
  local rows, bad = {}, 0
  local head = { "configuration", "status", "denials", "expected", "verdict" }
  for i, c in ipairs(list) do
    local r = results[i]
    local ok, why = M.verdict(c, r)
    if not ok then bad = bad + 1 end
    r.ok, r.why = ok, why
    local status = r.timed_out and "timeout" or r.signal and ("signal " .. r.signal) or tostring(r.status)
    local den = #r.denials == 0 and "-" or (#r.denials .. (#r.promises > 0 and (" (" .. table.concat(r.promises, " ") .. ")") or ""))
    rows[#rows + 1] = { c.name, status, den, c.expect .. (c.denied and (" " .. c.denied) or ""),
                        (ok and "ok" or "FAILED") .. ": " .. why }
  end
  local width = {}
  for j, h in ipairs(head) do
    width[j] = #h
    for _, row in ipairs(rows) do width[j] = math.max(width[j], #row[j]) end
  end
  local out = {}
  local function line(cells)
    local parts = {}
    for j, s in ipairs(cells) do parts[j] = j < #cells and pad(s, width[j]) or s end
    out[#out + 1] = table.concat(parts, "  ")
  end
  line(head)
  for _, row in ipairs(rows) do line(row) end
  out[#out + 1] = string.format("%d of %d configurations as expected", #list - bad, #list)
  return table.concat(out, "\n") .. "\n", bad
end

local function xml(s)
  s = tostring(s)
  if not utf8.len(s) then s = s:gsub("[\128-\255]", "?") end -- the document says UTF-8
  return (s:gsub("[&<>\"']", { ["&"] = "&amp;", ["<"] = "&lt;", [">"] = "&gt;",
                                         ['"'] = "&quot;", ["'"] = "&apos;" })
                     :gsub("[%z\1-\8\11\12\14-\31]", "?"))
end

--- matrix.junit(suite, list, results): JUnit XML (after matrix.report).
function M.junit(suite, list, results)
  local out, failures, total = {}, 0, 0
  for i = 1, #list do
    if not results[i].ok then failures = failures + 1 end
    total = total + (results[i].seconds or 0)
  end
  out[#out + 1] = '<?xml version="1.0" encoding="UTF-8"?>'
  out[#out + 1] = string.format('<testsuite name="%s" tests="%d" failures="%d" errors="0" time="%.3f">',
                                xml(suite), #list, failures, total)
  for i, c in ipairs(list) do
    local r = results[i]
    local open = string.format('  <testcase classname="%s" name="%s" time="%.3f"', xml(suite), xml(c.name),
                               r.seconds or 0)
    if r.ok then
      out[#out + 1] = open .. "/>"
    else
      out[#out + 1] = open .. ">"
      out[#out + 1] = string.format('    <failure message="%s">expected %s%s: %s</failure>', xml(r.why),
                                    xml(c.expect), xml(c.denied and (" " .. c.denied) or ""), xml(r.why))
      out[#out + 1] = "    <system-err>" .. xml(r.stderr or "") .. "</system-err>"
      out[#out + 1] = "  </testcase>"
    end
  end
  out[#out + 1] = "</testsuite>"
  return table.concat(out, "\n") .. "\n"
end

return M
