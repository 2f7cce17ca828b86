-- matrix_spec: policy-lib/matrix.lua (checking configurations, applying
-- one, reading vow's denial reports, verdicts, the table, JUnit XML) with
-- made-up results and a fake `vow`, without the kernel.
local fake = dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "fake_vow.lua")
local error_of = fake.error_of

local M, P, V, S

before_each(function()
  V, S = fake.install{ tree = { ["/etc/passwd"] = "file" } }
  M = require("matrix")
  P = require("policy")
end)

-- Reports as runner/report.c prints them.
local INET = 'vow: denied socket(AF_INET, SOCK_STREAM): needs promise "inet"'
local WPATH = 'vow: denied openat("/x", O_WRONLY): needs promise "wpath" (or "tmppath")'
local CREATE = 'vow: denied openat("/srv/new", O_WRONLY|O_CREAT) in pid 4321: needs promises "cpath wpath"'
local NEVER = "vow: denied ptrace(PTRACE_ATTACH, 1234): never allowed"

local function cfg(t)
  t.policy = t.policy or "default"
  return t
end

describe("matrix.check", function()
  it("returns a good list as it is", function()
    local list = {
      cfg{ name = "a", expect = "pass" },
      { name = "b", policy = { promises = "stdio" }, expect = "denied", denied = "rpath", timeout = 0.5 },
      { name = "c", policy = function() end, expect = "fail", timeout = 10 },
      { name = "d", policy = P.new{ promises = "stdio" }, expect = "denied" },
      cfg{ name = "e", expect = "denied", denied = "/etc/shadow" },
    }
    assert.equal(list, M.check(list))
    assert.same({}, S.fails)
  end)

  it("refuses anything but a non-empty list", function()
    assert.equal("user.lua:7: a matrix file returns a non-empty list of configurations, got an empty table",
                 error_of(M.check, {}))
    assert.matches("got string", error_of(M.check, "default"), 1, true)
    assert.matches("got nil", error_of(M.check, nil), 1, true)
    assert.equal(3, #S.fails)
  end)

  it("refuses an item that is not a table, or has unknown keys", function()
    assert.matches("configuration 2 is a string, not a table",
                   error_of(M.check, { cfg{ name = "a", expect = "pass" }, "b" }), 1, true)
    assert.matches("configuration 1: unknown key expected (name, policy, expect, denied, timeout)",
                   error_of(M.check, { cfg{ name = "a", expected = "pass" } }), 1, true)
  end)

  it("wants a name, once each", function()
    assert.matches("configuration 1 needs a name", error_of(M.check, { cfg{ expect = "pass" } }), 1, true)
    assert.matches("configuration 2 needs a name",
                   error_of(M.check, { cfg{ name = "a", expect = "pass" }, cfg{ name = "", expect = "pass" } }), 1, true)
    assert.matches("configuration 1 needs a name", error_of(M.check, { cfg{ name = 5, expect = "pass" } }), 1, true)
    assert.matches('configuration "a" is named twice',
                   error_of(M.check, { cfg{ name = "a", expect = "pass" }, cfg{ name = "a", expect = "fail" } }), 1, true)
  end)

  it("wants a policy of a known kind", function()
    assert.matches('configuration "a": policy is a name or file, a table of fields, a policy or a function; got number',
                   error_of(M.check, { { name = "a", policy = 5, expect = "pass" } }), 1, true)
    assert.matches("got nil", error_of(M.check, { { name = "a", expect = "pass" } }), 1, true)
  end)

  it("wants a known expectation", function()
    assert.matches('configuration "a": expect is "pass", "fail" or "denied", got passes',
                   error_of(M.check, { cfg{ name = "a", expect = "passes" } }), 1, true)
    assert.matches("got nil", error_of(M.check, { cfg{ name = "a" } }), 1, true)
  end)

  it("takes denied only with expect = denied, and as a string", function()
    local msg = 'configuration "a": denied names a promise or a path, with expect = "denied"'
    assert.matches(msg, error_of(M.check, { cfg{ name = "a", expect = "pass", denied = "inet" } }), 1, true)
    assert.matches(msg, error_of(M.check, { cfg{ name = "a", expect = "fail", denied = "inet" } }), 1, true)
    assert.matches(msg, error_of(M.check, { cfg{ name = "a", expect = "denied", denied = { "inet" } } }), 1, true)
  end)

  it("wants a timeout of some seconds", function()
    for _, bad in ipairs{ 0, -1, "10", true } do
      assert.matches('configuration "a": timeout is a number of seconds',
                     error_of(M.check, { cfg{ name = "a", expect = "pass", timeout = bad } }), 1, true)
    end
  end)
end)

describe("matrix.load and matrix.apply", function()
  before_each(function()
    S.loads["m.lua"] = {
      { name = "builtin", policy = "readonly", expect = "pass" },
      { name = "by hand", policy = function() vow.promise("stdio") end, expect = "pass" },
      { name = "fields", policy = { promises = "stdio rpath", paths = { "/etc" } }, expect = "pass" },
      { name = "value", policy = P.new{ promises = "inet" }, expect = "denied", denied = "dns" },
    }
    S.loads["bad.lua"] = { { name = "x", policy = "default", expect = "maybe" } }
  end)

  it("loads the list, checked", function()
    assert.equal(S.loads["m.lua"], M.load("m.lua"))
    assert.matches('expect is "pass", "fail" or "denied", got maybe', error_of(M.load, "bad.lua"), 1, true)
  end)

  it("includes a policy given by name", function()
    M.apply("m.lua", 1)
    assert.same({ "include(readonly)@nil" }, S.trace())
  end)

  it("calls a policy given as a function", function()
    M.apply("m.lua", 2)
    assert.same({ "promise(stdio)@nil" }, S.trace())
  end)

  it("applies a policy given as fields or as a value", function()
    M.apply("m.lua", 3)
    assert.same({ "promise(rpath)@user.lua:7", "promise(stdio)@user.lua:7", "unveil(/etc r {})@user.lua:7" },
                S.trace())
    S.calls = {}
    M.apply("m.lua", 4)
    assert.same({ "promise(inet)@user.lua:7" }, S.trace())
  end)

  it("applies nothing from a file that does not check", function()
    assert.has_error(function() M.apply("bad.lua", 1) end)
    assert.same({}, S.calls)
  end)
end)

describe("matrix.denials", function()
  it("reads the denial lines and the promises they name", function()
    local lines, promises = M.denials(table.concat({ "hello", INET, WPATH, CREATE, NEVER, "" }, "\n"))
    assert.same({ INET, WPATH, CREATE, NEVER }, lines)
    assert.same({ "cpath", "inet", "tmppath", "wpath" }, fake.keys(promises))
  end)

  it("ignores every other line", function()
    local err = table.concat({
      "vow: 12 more denied calls were not reported (40 in all)",
      "vow: wall-clock limit of 2s reached: killing the sandbox",
      "cat: /etc/shadow: Permission denied",
      "  vow: denied socket(AF_INET): needs promise \"inet\"",
      "xvow: denied socket(AF_INET): needs promise \"inet\"",
      "needs promise \"inet\"",
    }, "\n")
    local lines, promises = M.denials(err)
    assert.same({}, lines)
    assert.same({}, promises)
    assert.same({}, (M.denials("")))
  end)

  it("names no promise for a call never allowed", function()
    local lines, promises = M.denials(NEVER)
    assert.equal(1, #lines)
    assert.same({}, promises)
  end)

  it("reads every alternative a report names", function()
    local _, promises = M.denials('vow: denied openat("/x", O_WRONLY|O_CREAT): needs promise "wpath" ' ..
                                  '(or "tmppath", "cpath dpath")')
    assert.same({ "cpath", "dpath", "tmppath", "wpath" }, fake.keys(promises))
  end)
end)

describe("matrix.verdict", function()
  local function run(status, stderr, more)
    local r = { status = status, stdout = "", stderr = stderr or "", seconds = 0.25 }
    for k, v in pairs(more or {}) do r[k] = v end
    return r
  end

  it("passes on exit 0 only when pass is expected", function()
    assert.same({ true, "exit 0" }, { M.verdict({ expect = "pass" }, run(0)) })
    assert.same({ false, "exit 1" }, { M.verdict({ expect = "pass" }, run(1)) })
    assert.same({ false, "exit 137" }, { M.verdict({ expect = "pass" }, run(137, "", { signal = 9 })) })
  end)

  it("passes on any other status when fail is expected", function()
    assert.same({ true, "exit 3" }, { M.verdict({ expect = "fail" }, run(3)) })
    assert.same({ true, "exit 137" }, { M.verdict({ expect = "fail" }, run(137, "", { signal = 9 })) })
    assert.same({ false, "exit 0" }, { M.verdict({ expect = "fail" }, run(0)) })
  end)

  it("wants some refusal for denied", function()
    assert.same({ true, "refused" }, { M.verdict({ expect = "denied" }, run(1, INET)) })
    assert.same({ true, "refused" },
                { M.verdict({ expect = "denied" }, run(1, "", { stdout = "x: /etc/shadow: Permission denied" })) })
    assert.same({ true, "refused" }, { M.verdict({ expect = "denied" }, run(1, "kill: Operation not permitted")) })
    assert.same({ false, "nothing was refused" }, { M.verdict({ expect = "denied" }, run(0, "all fine")) })
    assert.same({ false, "nothing was refused" }, { M.verdict({ expect = "denied" }, run(1, "No such file")) })
  end)

  it("wants a refusal naming the promise for denied = promise", function()
    assert.same({ true, "refused for lack of inet" },
                { M.verdict({ expect = "denied", denied = "inet" }, run(1, INET)) })
    assert.same({ true, "refused for lack of tmppath" },
                { M.verdict({ expect = "denied", denied = "tmppath" }, run(1, WPATH)) })
    assert.same({ true, "refused for lack of cpath" },
                { M.verdict({ expect = "denied", denied = "cpath" }, run(1, CREATE)) })
    assert.same({ false, "refusals named tmppath wpath, not inet" },
                { M.verdict({ expect = "denied", denied = "inet" }, run(1, WPATH)) })
    assert.same({ false, "nothing needing inet was refused" },
                { M.verdict({ expect = "denied", denied = "inet" }, run(1, "connect: Permission denied")) })
    -- a promise's name as part of another's is not it
    assert.is_false((M.verdict({ expect = "denied", denied = "path" }, run(1, WPATH))))
  end)

  it("wants the path refused on one line for denied = path", function()
    local c = { expect = "denied", denied = "/etc/shadow" }
    assert.same({ true, "refused /etc/shadow" },
                { M.verdict(c, run(1, "cat: /etc/shadow: Permission denied")) })
    assert.same({ true, "refused /etc/shadow" },
                { M.verdict(c, run(1, "", { stdout = "open /etc/shadow: Operation not permitted\n" })) })
    assert.same({ false, "/etc/shadow was not refused" },
                { M.verdict(c, run(1, "cat: /etc/shadow: No such file\ncat: /etc/gshadow: Permission denied")) })
    assert.same({ false, "/etc/shadow was not refused" }, { M.verdict(c, run(0, "")) })
  end)

  it("expands ~ in denied = path", function()
    local c = { expect = "denied", denied = "~/.ssh/id_ed25519" }
    assert.is_true((M.verdict(c, run(1, "cat: /home/u/.ssh/id_ed25519: Permission denied"))))
  end)

  it("does not take a longer path for the one named", function()
    local c = { expect = "denied", denied = "/etc/shadow" }
    assert.is_false((M.verdict(c, run(1, "cat: /etc/shadow-: Permission denied"))))
  end)

  it("fails every expectation on a timeout", function()
    for _, expect in ipairs{ "pass", "fail", "denied" } do
      local r = run(137, "vow: wall-clock limit of 1s reached: killing the sandbox\n" .. INET,
                    { signal = 9, timed_out = true })
      assert.same({ false, "timed out" }, { M.verdict({ expect = expect }, r) })
    end
  end)

  it("fails every expectation when vow itself failed", function()
    local r = run(125, 'vow: m.lua:3: unknown promise "inett" (did you mean "inet"?)\n')
    for _, expect in ipairs{ "pass", "fail", "denied" } do
      assert.same({ false, 'vow itself failed: m.lua:3: unknown promise "inett" (did you mean "inet"?)' },
                  { M.verdict({ expect = expect }, r) })
    end
  end)

  it("takes 125 from the command for a plain status", function()
    assert.same({ true, "exit 125" }, { M.verdict({ expect = "fail" }, run(125, "tool: bad input\n")) })
    -- a denial report: the command ran, its status is its own
    assert.same({ true, "refused for lack of inet" },
                { M.verdict({ expect = "denied", denied = "inet" }, run(125, INET .. "\n")) })
  end)

  it("records the denials and the promises they name in the result", function()
    local r = run(1, INET .. "\n" .. WPATH)
    M.verdict({ expect = "denied" }, r)
    assert.same({ INET, WPATH }, r.denials)
    assert.same({ "inet", "tmppath", "wpath" }, r.promises)
  end)
end)

-- The three configurations and results of the report and junit specs.
local function sample()
  local list = {
    cfg{ name = "default", expect = "pass" },
    cfg{ name = "stdio only", expect = "denied", denied = "rpath" },
    cfg{ name = "offline", expect = "fail" },
  }
  local results = {
    { status = 0, stdout = "", stderr = "", seconds = 0.5 },
    { status = 1, stdout = "", stderr = 'vow: denied openat("/etc/passwd", O_RDONLY): needs promise "rpath"\n',
      seconds = 0.25 },
    { status = 0, stdout = "", stderr = "", seconds = 1 },
  }
  return list, results
end

describe("matrix.report", function()
  it("prints a table with aligned columns and a count, and counts what did not hold", function()
    local list, results = sample()
    local out, bad = M.report(list, results)
    local row = "%-13s  %-6s  %-9s  %-12s  %s"
    assert.equal(table.concat({
      row:format("configuration", "status", "denials", "expected", "verdict"),
      row:format("default", "0", "-", "pass", "ok: exit 0"),
      row:format("stdio only", "1", "1 (rpath)", "denied rpath", "ok: refused for lack of rpath"),
      row:format("offline", "0", "-", "fail", "FAILED: exit 0"),
      "2 of 3 configurations as expected",
    }, "\n") .. "\n", out)
    assert.equal(1, bad)
    assert.is_true(results[1].ok)
    assert.is_false(results[3].ok)
    assert.equal("exit 0", results[3].why)
  end)

  it("counts none when all held", function()
    local list, results = sample()
    list[3].expect = "pass"
    local out, bad = M.report(list, results)
    assert.equal(0, bad)
    assert.matches("\n3 of 3 configurations as expected\n$", out)
    assert.not_matches("FAILED", out, 1, true)
  end)

  it("shows a signal, a timeout, and denials that name no promise", function()
    local list = { cfg{ name = "killed", expect = "fail" }, cfg{ name = "slow", expect = "pass" },
                   cfg{ name = "ptrace", expect = "denied" } }
    local results = {
      { status = 137, signal = 9, stderr = "" },
      { status = 137, signal = 9, timed_out = true, stderr = "vow: wall-clock limit of 1s reached" },
      { status = 1, stderr = NEVER .. "\n" .. NEVER },
    }
    local out, bad = M.report(list, results)
    local lines = {}
    for l in out:gmatch("[^\n]+") do lines[#lines + 1] = l end
    assert.matches("^killed  +signal 9  +%-  +fail  +ok: exit 137$", lines[2])
    assert.matches("^slow  +timeout  +%-  +pass  +FAILED: timed out$", lines[3])
    assert.matches("^ptrace  +1  +2  +denied  +ok: refused$", lines[4])
    assert.equal(1, bad)
  end)
end)

-- A small XML 1.0 reader, enough to say JUnit output is well-formed:
-- elements nest, attributes are quoted, & and < appear only as markup or
-- entities, text is UTF-8.  Returns the root element as
-- { name, attrs = {...}, children = {...}, text = "..." } or nil, error.
local ENT = { amp = "&", lt = "<", gt = ">", quot = '"', apos = "'" }
local function unescape(s)
  if s:find("<", 1, true) then return nil, "raw < in " .. s end
  local bad
  local out = s:gsub("&([^;]*);?", function(e)
    if ENT[e] then return ENT[e] end
    local n = e:match("^#(%d+)$") or (e:match("^#x(%x+)$") and tonumber(e:match("^#x(%x+)$"), 16))
    if n then return utf8.char(tonumber(n)) end
    bad = "bad entity &" .. e
  end)
  if bad then return nil, bad end
  return out
end

local function read_xml(s)
  if not utf8.len(s) then return nil, "not UTF-8" end
  if s:find("[%z\1-\8\11\12\14-\31]") then return nil, "a control character" end
  local pos = 1
  local decl = s:match("^<%?xml[^?]*%?>\n?")
  if decl then pos = #decl + 1 end
  local root, stack = nil, {}
  while pos <= #s do
    local lt = s:find("<", pos, true)
    local text = s:sub(pos, (lt or #s + 1) - 1)
    local t, err = unescape(text)
    if not t then return nil, err end
    if #stack > 0 then stack[#stack].text = stack[#stack].text .. t
    elseif text:find("%S") then return nil, "text outside the root" end
    if not lt then break end
    local close = s:match("^</([%w_:-]+)%s*>", lt)
    if close then
      local top = table.remove(stack)
      if not top or top.name ~= close then return nil, "mismatched </" .. close .. ">" end
      pos = lt + #s:match("^</[^>]*>", lt)
    else
      local tag = s:match("^<[^<>]*>", lt)
      if not tag then return nil, "unclosed tag at " .. lt end
      local name, rest = tag:match("^<([%w_:-]+)(.-)/?>$")
      if not name then return nil, "bad tag " .. tag end
      local el = { name = name, attrs = {}, children = {}, text = "" }
      local consumed = rest:gsub('%s+([%w_:-]+)="([^"]*)"', function(k, v)
        local u, e = unescape(v)
        if not u then err = e end
        if el.attrs[k] then err = "attribute twice" end
        el.attrs[k] = u
        return ""
      end)
      if err then return nil, err end
      if consumed:find("%S") then return nil, "bad attributes in " .. tag end
      if #stack > 0 then table.insert(stack[#stack].children, el)
      elseif root then return nil, "two roots"
      else root = el end
      if tag:sub(-2) ~= "/>" then stack[#stack + 1] = el end
      pos = lt + #tag
    end
  end
  if #stack > 0 then return nil, "unclosed <" .. stack[#stack].name .. ">" end
  if not root then return nil, "no root" end
  return root
end

local function well_formed(s)
  local root, err = read_xml(s)
  assert(root, "not well-formed: " .. tostring(err))
  local ok, lxp = pcall(require, "lxp") -- LuaExpat, when installed, agrees
  if ok then
    local parser = lxp.new({})
    local r, msg = parser:parse(s)
    if r then r, msg = parser:parse() end
    parser:close()
    assert(r, "expat: " .. tostring(msg))
  end
  return root
end

describe("the XML reader of this spec", function()
  it("refuses what is not well-formed", function()
    for _, bad in ipairs{ "<a>&</a>", "<a><b></a>", "<a x=1/>", "<a>\1</a>", "<a x=\"<\"/>", "<a>", "<a/><b/>",
                          "<a>&nbsp;</a>", "x<a/>", "<a>\255</a>", '<a x="1" x="2"/>' } do
      assert.is_nil((read_xml(bad)), bad)
    end
    assert.same({ name = "a", attrs = { x = "<&" }, children = {}, text = "b>c" },
                read_xml('<?xml version="1.0"?>\n<a x="&lt;&amp;">b&gt;c</a>'))
  end)
end)

describe("matrix.junit", function()
  it("writes a testsuite with a testcase each and a failure for what did not hold", function()
    local list, results = sample()
    M.report(list, results)
    local xml = M.junit("vow matrix m.lua", list, results)
    assert.matches('^<%?xml version="1.0" encoding="UTF%-8"%?>\n', xml)
    local root = well_formed(xml)
    assert.equal("testsuite", root.name)
    assert.same({ name = "vow matrix m.lua", tests = "3", failures = "1", errors = "0", time = "1.750" }, root.attrs)
    assert.equal(3, #root.children)
    local names = {}
    for i, tc in ipairs(root.children) do
      assert.equal("testcase", tc.name)
      assert.equal("vow matrix m.lua", tc.attrs.classname)
      names[i] = tc.attrs.name
    end
    assert.same({ "default", "stdio only", "offline" }, names)
    assert.equal("0.500", root.children[1].attrs.time)
    assert.equal(0, #root.children[1].children)
    assert.equal(0, #root.children[2].children)
    local failed = root.children[3]
    assert.equal(2, #failed.children)
    assert.equal("failure", failed.children[1].name)
    assert.equal("exit 0", failed.children[1].attrs.message)
    assert.equal("expected fail: exit 0", failed.children[1].text)
    assert.equal("system-err", failed.children[2].name)
  end)

  it("escapes what XML would read as markup", function()
    local list = { { name = [[a "<b>" & 'c']], policy = "x", expect = "denied", denied = "/tmp/<x>&y" } }
    local stderr = "vow: denied x\n<script>&amp; ]]> \"q\" 'a'\1\27[31m\n"
    local results = { { status = 0, stdout = "", stderr = stderr, seconds = 0.1 } }
    M.report(list, results)
    local xml = M.junit([[suite <&> "q"]], list, results)
    local root = well_formed(xml)
    assert.equal([[suite <&> "q"]], root.attrs.name)
    local tc = root.children[1]
    assert.equal([[a "<b>" & 'c']], tc.attrs.name)
    assert.equal("/tmp/<x>&y was not refused", tc.children[1].attrs.message)
    assert.equal("expected denied /tmp/<x>&y: /tmp/<x>&y was not refused", tc.children[1].text)
    -- control characters XML cannot hold become ?
    assert.equal("vow: denied x\n<script>&amp; ]]> \"q\" 'a'??[31m\n", tc.children[2].text)
  end)

  it("is well-formed for an empty name and no output", function()
    local list = { cfg{ name = "x", expect = "pass" } }
    local results = { { status = 0 } }
    M.report(list, results)
    local root = well_formed(M.junit("", list, results))
    assert.equal("", root.attrs.name)
    assert.equal("0.000", root.attrs.time)
  end)

  it("is well-formed when the command wrote bytes that are not UTF-8", function()
    local list = { cfg{ name = "x", expect = "pass" } }
    local results = { { status = 1, stderr = "caf\233 \255\254\n" } }
    M.report(list, results)
    local root, err = read_xml(M.junit("s", list, results))
    assert.is_not_nil(root, err)
  end)
end)
