-- policy_spec: policy-lib/policy.lua (policy values: new, load, extend,
-- narrow, without, apply) against a fake `vow`, without the kernel.
local fake = dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "fake_vow.lua")
local error_of, rules, keys = fake.error_of, fake.rules, fake.keys

local P, V, S

local TREE = {
  ["/usr/bin/ls"] = "file",
  ["/usr/lib/libc.so.6"] = "file",
  ["/bin"] = { link = "usr/bin" },
  ["/etc/hosts"] = "file",
  ["/home/u/proj/src/main.c"] = "file",
  ["/home/u/proj/escape"] = { link = "/etc" },
  ["/home/u/.ssh/id_ed25519"] = "file",
}

local function setup(opts)
  opts = opts or {}
  opts.tree = opts.tree or TREE
  V, S = fake.install(opts)
  P = require("policy")
end

before_each(function() setup() end)

describe("P.new", function()
  it("takes every documented field", function()
    local p = P.new{
      promises = "stdio rpath",
      paths = { ["/usr"] = "rx", "/etc", { "/opt/x", "rwc", optional = true } },
      connect = { 443, "any" },
      bind = 8080,
      limits = { memory = "512M", procs = 64 },
      caps = "net_bind_service",
      env = { clear = true, keep = "PATH HOME", set = { LANG = "C" }, unset = "TZ" },
      violation = "kill",
      nice = true,
      best_effort = true,
      notes = "why",
    }
    assert.is_true(P.is(p))
    assert.same({ "rpath", "stdio" }, p:promise_list())
    -- the list part first, then the keyed paths sorted
    assert.same({ "/etc:r", "/opt/x:rwc?", "/usr:rx" }, rules(p))
    assert.same({ "443", "any" }, keys(p.connect))
    assert.same({ "8080" }, keys(p.bind))
    assert.equal("512M", p.limits.memory.value)
    assert.equal(512 * 1024 * 1024, p.limits.memory.number)
    assert.equal(64, p.limits.procs.number)
    assert.same({ "net_bind_service" }, keys(p.caps))
    local ops = {}
    for _, e in ipairs(p.env) do ops[#ops + 1] = e.op .. (e.name and (" " .. e.name) or "") end
    assert.same({ "clear", "keep PATH", "keep HOME", "set LANG", "unset TZ" }, ops)
    assert.equal("kill", p.violation.mode)
    assert.equal("user.lua:7", p.nice)
    assert.equal("user.lua:7", p.best_effort)
    assert.equal("why", p.notes[1].text)
    assert.same({}, S.fails)
  end)

  it("is empty when given nothing", function()
    local p = P.new{}
    assert.same({}, p:promise_list())
    assert.same({}, rules(p))
    assert.is_nil(p.violation)
    assert.is_falsy(p.nice)
  end)

  it("refuses an unknown field and suggests the one meant", function()
    local err = error_of(P.new, { path = { "/usr" } })
    assert.matches('unknown field path (did you mean "paths"?)', err, 1, true)
    err = error_of(P.new, { promisse = "stdio" })
    assert.matches('(did you mean "promises"?)', err, 1, true)
    -- nothing close: no suggestion, but the list of fields
    err = error_of(P.new, { zzzzzz = 1 })
    assert.matches("unknown field zzzzzz", err, 1, true)
    assert.not_matches("did you mean", err, 1, true)
    assert.matches("fields: best_effort, bind, caps", err, 1, true)
  end)

  it("refuses an unknown promise and suggests the one meant", function()
    local err = error_of(P.new, { promises = "stdio inett" })
    assert.matches('P.new: unknown promise "inett" (did you mean "inet"?)', err, 1, true)
    err = error_of(P.new, { promises = "rpth" })
    assert.matches('unknown promise "rpth" (did you mean "rpath"?)', err, 1, true)
    err = error_of(P.new, { promises = "stdio frobnicate" })
    assert.matches('unknown promise "frobnicate"', err, 1, true)
    assert.not_matches("did you mean", err, 1, true)
    -- every real name passes, given as a string or as a list
    assert.same(fake.PROMISES, P.new{ promises = table.concat(fake.PROMISES, " ") }:promise_list())
    assert.same({ "inet", "stdio" }, P.new{ promises = { "stdio", "inet" } }:promise_list())
  end)

  it("refuses a promises value that is neither a string nor a list", function()
    assert.matches("promises must be a string, got number", error_of(P.new, { promises = 5 }), 1, true)
  end)

  it("checks the permission letters of path rules", function()
    assert.matches("unknown permission 'z' in \"rz\"", error_of(P.new, { paths = { ["/usr"] = "rz" } }), 1, true)
    assert.matches("unknown permission 'R'", error_of(P.new, { paths = { { "/usr", "R" } } }), 1, true)
    assert.matches("empty permissions add nothing", error_of(P.new, { paths = { ["/usr"] = "" } }), 1, true)
    assert.matches("permissions are a string of letters", error_of(P.new, { paths = { ["/usr"] = 7 } }), 1, true)
    assert.same({ "/usr:rwxcl" }, rules(P.new{ paths = { ["/usr"] = "lcxwr" } }))
    assert.same({ "/usr:r" }, rules(P.new{ paths = { { "/usr" } } })) -- perms default to r
  end)

  it("checks the shape of path rules", function()
    assert.matches("unknown key optinal",
                   error_of(P.new, { paths = { { "/x", "r", optinal = true } } }), 1, true)
    assert.matches("a path is a non-empty string", error_of(P.new, { paths = { "" } }), 1, true)
    assert.matches("paths[1]: a path string or {path, perms}, got number",
                   error_of(P.new, { paths = { 5 } }), 1, true)
    assert.matches("paths must be a table, got string", error_of(P.new, { paths = "/usr" }), 1, true)
  end)

  it("expands ~ and drops trailing slashes, nothing else", function()
    assert.same({ "/home/u/proj:r", "/home/u:r", "/usr:r", "/:r", "rel/x:r" },
                rules(P.new{ paths = { "~/proj/", "~", "/usr//", "/", "rel/x" } }))
  end)

  it("checks ports", function()
    for _, bad in ipairs{ 0, 65536, -1, 80.5, "80", "all", true } do
      local err = error_of(P.new, { connect = bad })
      assert.matches("connect: a port is a whole number from 1 to 65535", err, 1, true)
      assert.matches("bind: a port is", error_of(P.new, { bind = { 80, bad } }), 1, true)
    end
    local p = P.new{ connect = { 1, 65535, "any" }, bind = 80 }
    assert.same({ "1", "65535", "any" }, keys(p.connect))
    assert.same({ "80" }, keys(p.bind))
  end)

  it("checks limit names and values", function()
    local err = error_of(P.new, { limits = { memroy = "1G" } })
    assert.matches('limits: unknown limit memroy (did you mean "memory"?)', err, 1, true)
    err = error_of(P.new, { limits = { threads = 4 } })
    assert.matches("unknown limit threads", err, 1, true)
    assert.matches("limits must be a table", error_of(P.new, { limits = "1G" }), 1, true)
    local p = P.new{ limits = { memory = "4G", nofile = 100, fsize = "10M", cpu = 5, timeout = 30, procs = 8 } }
    assert.same({ "cpu", "fsize", "memory", "nofile", "procs", "timeout" }, keys(p.limits))
    assert.equal(4 * 1024 ^ 3, p.limits.memory.number)
    assert.equal("user.lua:7", p.limits.memory.source)
  end)

  it("checks env keys and values", function()
    local err = error_of(P.new, { env = { sett = { A = "b" } } })
    assert.matches('env: unknown key sett (did you mean "set"?)', err, 1, true)
    assert.matches("env.set: names and values are strings",
                   error_of(P.new, { env = { set = { A = 1 } } }), 1, true)
    assert.matches("env must be a table", error_of(P.new, { env = "clear" }), 1, true)
    local p = P.new{ env = { set = { B = "2", A = "1" }, keep = { "X", "Y" } } }
    local got = {}
    for _, e in ipairs(p.env) do got[#got + 1] = e.op .. " " .. e.name .. "=" .. tostring(e.value) end
    assert.same({ "keep X=nil", "keep Y=nil", "set A=1", "set B=2" }, got)
  end)

  it("checks the violation mode", function()
    assert.matches('violation: unknown mode kil (did you mean "kill"?)',
                   error_of(P.new, { violation = "kil" }), 1, true)
    assert.equal("eperm", P.new{ violation = "eperm" }.violation.mode)
  end)

  it("merges fragments of its list part", function()
    local frag = P.new{ promises = "inet", paths = { "/a" }, connect = 443, limits = { procs = 5 } }
    local p = P.new{ frag, P.new{ caps = "net_raw" }, promises = "stdio", paths = { "/b" } }
    assert.same({ "inet", "stdio" }, p:promise_list())
    assert.same({ "/a:r", "/b:r" }, rules(p)) -- fragments first
    assert.same({ "443" }, keys(p.connect))
    assert.same({ "net_raw" }, keys(p.caps))
    assert.equal(5, p.limits.procs.number)
  end)

  it("refuses a list item that is not a policy", function()
    local err = error_of(P.new, { "stdio" })
    assert.matches("item 1 is a string; the list part holds policies", err, 1, true)
    err = error_of(P.new, { P.new{}, { promises = "inet" } })
    assert.matches("item 2 is a table", err, 1, true)
  end)

  it("records the line that wrote each rule", function()
    S.source = "frag.lua:3"
    local frag = P.new{ promises = "inet", paths = { "/a" }, connect = 443 }
    S.source = "main.lua:9"
    local p = P.new{ frag, promises = "stdio", paths = { "/b" }, limits = { cpu = 1 }, nice = true,
                     env = { unset = "X" }, notes = "n", violation = "kill", caps = "net_raw" }
    assert.equal("frag.lua:3", p.promises.inet)
    assert.equal("main.lua:9", p.promises.stdio)
    local r = p:rules()
    assert.equal("frag.lua:3", r[1].source)
    assert.equal("main.lua:9", r[2].source)
    assert.equal("frag.lua:3", p.connect[443])
    assert.equal("main.lua:9", p.limits.cpu.source)
    assert.equal("main.lua:9", p.nice)
    assert.equal("main.lua:9", p.env[1].source)
    assert.equal("main.lua:9", p.notes[1].source)
    assert.equal("main.lua:9", p.violation.source)
    assert.equal("main.lua:9", p.caps.net_raw)
  end)

  it("raises its errors through vow.fail, naming the user's line", function()
    S.source = "proj.lua:12"
    local err = error_of(P.new, { promises = "inett" })
    assert.equal('proj.lua:12: P.new: unknown promise "inett" (did you mean "inet"?)', err)
    assert.same({ 'P.new: unknown promise "inett" (did you mean "inet"?)' }, S.fails)
    assert.matches("^proj.lua:12: P.new: expected a table of policy fields, got string",
                   error_of(P.new, "stdio"))
    assert.equal(2, #S.fails)
  end)

  it("returns a policy value given to it unchanged", function()
    local p = P.new{ promises = "stdio" }
    assert.equal(p, P.new(p))
  end)
end)

describe("P.suggest, P.norm, P.beneath", function()
  it("suggests only near names", function()
    assert.equal(' (did you mean "inet"?)', P.suggest("inett", fake.PROMISES))
    assert.equal("", P.suggest("xyz", fake.PROMISES))
    assert.equal(' (did you mean "tmppath"?)', P.suggest("tmpath", fake.PROMISES))
  end)

  it("normalises paths", function()
    assert.equal("/home/u/x", P.norm("~/x/"))
    assert.equal("/", P.norm("/"))
    assert.equal("~user/x", P.norm("~user/x"))
  end)

  it("knows what lies beneath a directory", function()
    assert.is_true(P.beneath("/usr/lib", "/usr"))
    assert.is_true(P.beneath("/usr", "/usr"))
    assert.is_true(P.beneath("/anything", "/"))
    assert.is_false(P.beneath("/usr2", "/usr"))
    assert.is_false(P.beneath("/us", "/usr"))
  end)
end)

describe("P.load", function()
  it("parses the table a policy returns, naming the policy in errors", function()
    S.loads.web = { promises = "stdio inet", paths = { "/srv" } }
    local p = P.load("web")
    assert.same({ "inet", "stdio" }, p:promise_list())
    assert.same({ "/srv:r" }, rules(p))
    S.loads.bad = { promisez = "stdio" }
    assert.matches('P.load(bad): unknown field promisez (did you mean "promises"?)',
                   error_of(P.load, "bad"), 1, true)
  end)

  it("returns a policy value as it is", function()
    local v = P.new{ promises = "stdio" }
    S.loads.v = v
    assert.equal(v, P.load("v"))
  end)

  it("fails when vow.load does", function()
    assert.matches('no policy "nope"', error_of(P.load, "nope"), 1, true)
  end)
end)

describe("extend", function()
  it("adds up promises, paths, ports and caps", function()
    local a = P.new{ promises = "stdio", paths = { "/usr" }, connect = 443, caps = "chown" }
    local b = P.new{ promises = "inet stdio", paths = { ["/tmp"] = "rwc" }, connect = 80, bind = 8080,
                     caps = "net_raw" }
    local p = P.extend(a, b)
    assert.same({ "inet", "stdio" }, p:promise_list())
    assert.same({ "/usr:r", "/tmp:rwc" }, rules(p))
    assert.same({ "443", "80" }, keys(p.connect))
    assert.same({ "8080" }, keys(p.bind))
    assert.same({ "chown", "net_raw" }, keys(p.caps))
  end)

  it("leaves the base alone", function()
    local a = P.new{ promises = "stdio", paths = { "/usr" } }
    local p = a:extend{ promises = "inet", paths = { "/etc" } }
    assert.same({ "inet", "stdio" }, p:promise_list())
    assert.same({ "stdio" }, a:promise_list())
    assert.same({ "/usr:r" }, rules(a))
    assert.are_not.equal(a, p)
  end)

  it("lets a later limit replace an earlier one, and keeps the others", function()
    local a = P.new{ limits = { memory = "1G", procs = 10 }, violation = "kill" }
    local p = a:extend({ limits = { memory = "512M" } }, { limits = { memory = "256M" }, violation = "eperm" })
    assert.equal("256M", p.limits.memory.value)
    assert.equal(10, p.limits.procs.number)
    assert.equal("eperm", p.violation.mode)
    assert.equal("1G", a.limits.memory.value)
  end)

  it("keeps the first source of a rule both sides have", function()
    S.source = "a.lua:1"
    local a = P.new{ promises = "stdio" }
    S.source = "b.lua:2"
    local p = a:extend{ promises = "stdio inet" }
    assert.equal("a.lua:1", p.promises.stdio)
    assert.equal("b.lua:2", p.promises.inet)
  end)

  it("loads a base or a part given by name", function()
    S.loads.base = { promises = "stdio" }
    S.loads.more = { promises = "dns" }
    local p = P.extend("base", "more", { promises = "inet" })
    assert.same({ "dns", "inet", "stdio" }, p:promise_list())
  end)

  it("checks the fields it is given", function()
    local a = P.new{ promises = "stdio" }
    assert.matches('P.extend: unknown promise "inett"', error_of(a.extend, a, { promises = "inett" }), 1, true)
  end)
end)

describe("narrow", function()
  local base
  before_each(function()
    base = P.new{
      promises = "stdio rpath inet",
      paths = { ["/usr"] = "rx", ["/home/u/proj"] = "rwc", ["/bin"] = "rx" },
      connect = { 443, 80 },
      limits = { memory = "1G", timeout = 60 },
      caps = "net_bind_service net_raw",
      env = { clear = true, keep = "PATH" },
    }
  end)

  it("takes promises away, and refuses one the base lacks", function()
    assert.same({ "stdio" }, base:narrow{ promises = "stdio" }:promise_list())
    local err = error_of(base.narrow, base, { promises = "stdio wpath" })
    assert.matches('narrow: promise "wpath" is not in the policy being narrowed', err, 1, true)
    assert.matches("^user.lua:7: ", err)
  end)

  it("takes paths beneath a base rule with fewer letters", function()
    local q = base:narrow{ paths = { ["/home/u/proj/src"] = "r", ["/usr/lib"] = "rx", "/home/u/proj" } }
    assert.same({ "/home/u/proj:r", "/home/u/proj/src:r", "/usr/lib:rx" }, rules(q))
  end)

  it("refuses a path outside every base rule", function()
    local err = error_of(base.narrow, base, { paths = { "/etc" } })
    assert.matches("narrow: /etc:r is not within any rule of the policy being narrowed", err, 1, true)
    assert.has_error(function() base:narrow{ paths = { "/home/u" } } end)   -- above a rule
    assert.has_error(function() base:narrow{ paths = { "/usr2" } } end)     -- a prefix, not beneath
    assert.has_error(function() base:narrow{ paths = { "~/.ssh" } } end)
  end)

  it("refuses a path with letters its base rule lacks", function()
    local err = error_of(base.narrow, base, { paths = { ["/usr/lib"] = "rw" } })
    assert.matches("/usr/lib:rw is not within any rule", err, 1, true)
    assert.has_error(function() base:narrow{ paths = { ["/home/u/proj"] = "rwxc" } } end)
  end)

  it("takes l beneath a rule with r, l being part of r", function()
    assert.same({ "/home/u/proj:l" }, rules(base:narrow{ paths = { ["/home/u/proj"] = "l" } }))
  end)

  it("judges paths by where they lead", function()
    -- /bin leads to /usr/bin: within the /usr rule
    assert.same({ "/bin/ls:rx" }, rules(base:narrow{ paths = { ["/bin/ls"] = "rx" } }))
    -- a link inside the project that leads out of it is not within it
    local err = error_of(base.narrow, base, { paths = { "/home/u/proj/escape/hosts" } })
    assert.matches("is not within any rule", err, 1, true)
  end)

  it("lowers limits, sets new ones, and refuses to raise one", function()
    local q = base:narrow{ limits = { memory = "512M", procs = 10 } }
    assert.equal("512M", q.limits.memory.value)
    assert.equal(10, q.limits.procs.number)
    assert.equal(60, q.limits.timeout.value) -- not given: stays
    assert.equal("1G", base:narrow{ limits = { memory = "1G" } }.limits.memory.value) -- equal is fine
    local err = error_of(base.narrow, base, { limits = { memory = "2G" } })
    assert.matches("narrow: limit memory 2G is above the 1G of the policy being narrowed", err, 1, true)
    assert.has_error(function() base:narrow{ limits = { timeout = 61 } } end)
  end)

  it("keeps a subset of the capabilities, and refuses others", function()
    assert.same({ "net_raw" }, keys(base:narrow{ caps = "net_raw" }.caps))
    local err = error_of(base.narrow, base, { caps = "net_raw sys_admin" })
    assert.matches('narrow: capability "sys_admin" is not kept by the policy being narrowed', err, 1, true)
  end)

  it("keeps a subset of the ports, and refuses others or none", function()
    assert.same({ "443" }, keys(base:narrow{ connect = 443 }.connect))
    assert.matches("narrow: connect 22 is not in the policy being narrowed",
                   error_of(base.narrow, base, { connect = { 443, 22 } }), 1, true)
    assert.matches("no port rule would be left", error_of(base.narrow, base, { connect = {} }), 1, true)
    assert.has_error(function() base:narrow{ connect = "any" } end)
    local any = P.new{ connect = "any" }
    assert.same({ "22" }, keys(any:narrow{ connect = 22 }.connect))
  end)

  it("refuses env.set and best_effort", function()
    assert.matches("narrow: env.set adds to the environment; use extend",
                   error_of(base.narrow, base, { env = { set = { A = "b" } } }), 1, true)
    assert.matches("narrow: best_effort", error_of(base.narrow, base, { best_effort = true }), 1, true)
    local q = base:narrow{ env = { unset = "PATH" } }
    assert.equal("unset", q.env[#q.env].op)
  end)

  it("leaves the fields it is not given as they were", function()
    local q = base:narrow{ promises = "stdio" }
    assert.same(rules(base), rules(q))
    assert.same(keys(base.connect), keys(q.connect))
    assert.same(keys(base.caps), keys(q.caps))
    assert.equal("1G", q.limits.memory.value)
    assert.equal(#base.env, #q.env)
    local r = base:narrow{ paths = { "/usr" } }
    assert.same({ "inet", "rpath", "stdio" }, r:promise_list())
  end)

  it("leaves the base alone", function()
    base:narrow{ promises = "stdio", paths = { "/usr" }, limits = { memory = "1M" } }
    assert.same({ "inet", "rpath", "stdio" }, base:promise_list())
    assert.equal(3, #base:rules())
    assert.equal("1G", base.limits.memory.value)
  end)

  it("checks fragments given to it like fields", function()
    assert.same({ "inet" }, base:narrow{ P.new{ promises = "inet" } }:promise_list())
    assert.has_error(function() base:narrow{ P.new{ promises = "wpath" } } end)
    assert.has_error(function() base:narrow{ P.new{ paths = { "/etc" } } } end)
  end)

  it("wants a table of fields", function()
    assert.matches("narrow: expected a table of fields to narrow to, got a policy",
                   error_of(base.narrow, base, P.new{}), 1, true)
    assert.matches("got string", error_of(base.narrow, base, "stdio"), 1, true)
  end)

  it("refuses env.keep, which brings back what the base cleared", function()
    local ok = pcall(base.narrow, base, { env = { keep = "AWS_SECRET_ACCESS_KEY" } })
    assert.is_false(ok)
  end)

  it("refuses env.set given in a fragment", function()
    local ok, q = pcall(base.narrow, base, { P.new{ env = { set = { LD_PRELOAD = "/tmp/x.so" } } } })
    if ok then
      for _, e in ipairs(q.env) do assert.are_not.equal("set", e.op) end
    end
  end)

  it("never narrows to no promise filter at all", function()
    local small = P.new{ promises = "stdio rpath", paths = { "/usr" } }
    local ok, q = pcall(small.narrow, small, { promises = "" })
    if ok then
      P.apply(q)
      local promised = false
      for _, c in ipairs(S.calls) do if c.fn == "promise" then promised = true end end
      assert.is_true(promised, "the narrowed policy applies no promise: no seccomp promise filter")
    end
  end)

  it("never narrows to no path rule at all", function()
    local ok, q = pcall(base.narrow, base, { paths = {} })
    if ok then
      assert.is_true(#q:rules() > 0, "no path rule: Landlock restricts nothing")
    end
  end)
end)

describe("without", function()
  local base
  before_each(function()
    base = P.new{
      promises = "stdio rpath inet",
      paths = { ["/usr"] = "rx", ["/home/u/proj"] = "rwc", "/etc" },
      connect = { 443, 80 },
      bind = 8080,
      limits = { memory = "1G" },
      caps = "net_bind_service net_raw",
    }
  end)

  it("takes promises away, and refuses one the policy lacks", function()
    assert.same({ "stdio" }, base:without{ promises = "rpath inet" }:promise_list())
    local err = error_of(base.without, base, { promises = "wpath" })
    assert.matches('without: promise "wpath" is not in the policy', err, 1, true)
  end)

  it("drops named path rules, and refuses a path without one", function()
    assert.same({ "/home/u/proj:rwc", "/usr:rx" }, rules(base:without{ paths = { "/etc" } }))
    assert.same({ "/etc:r", "/usr:rx" }, rules(base:without{ paths = { "~/proj/" } }))
    local err = error_of(base.without, base, { paths = { "/home/u/proj/src" } })
    assert.matches("without: no path rule for /home/u/proj/src in the policy", err, 1, true)
  end)

  it("takes letters away from a path rule", function()
    assert.same({ "/etc:r", "/home/u/proj:r", "/usr:rx" },
                rules(base:without{ paths = { ["/home/u/proj"] = "wc" } }))
    -- every letter gone: the rule goes
    assert.same({ "/etc:r", "/home/u/proj:rwc" }, rules(base:without{ paths = { ["/usr"] = "rx" } }))
    assert.matches("unknown permission 'q'",
                   error_of(base.without, base, { paths = { ["/usr"] = "q" } }), 1, true)
    assert.has_error(function() base:without{ paths = { ["/opt"] = "w" } } end)
  end)

  it("drops ports and caps, and refuses ones the policy lacks", function()
    local q = base:without{ connect = 80, bind = 8080, caps = "net_raw" }
    assert.same({ "443" }, keys(q.connect))
    assert.same({}, keys(q.bind))
    assert.same({ "net_bind_service" }, keys(q.caps))
    assert.matches("without: connect 22 is not in the policy", error_of(base.without, base, { connect = 22 }), 1, true)
    assert.matches('without: capability "sys_admin" is not kept',
                   error_of(base.without, base, { caps = "sys_admin" }), 1, true)
  end)

  it("refuses limits and anything else it cannot take away", function()
    local err = error_of(base.without, base, { limits = { memory = "1G" } })
    assert.matches("without: cannot take away limits", err, 1, true)
    assert.matches("lower a limit with narrow", err, 1, true)
    err = error_of(base.without, base, { env = { unset = "X" } })
    assert.matches("cannot take away env", err, 1, true)
    assert.not_matches("narrow", err, 1, true)
    assert.has_error(function() base:without("inet") end)
  end)

  it("leaves the base alone, and the rest of the policy as it was", function()
    local q = base:without{ promises = "inet", paths = { ["/home/u/proj"] = "w" } }
    assert.same({ "inet", "rpath", "stdio" }, base:promise_list())
    assert.same({ "/etc:r", "/home/u/proj:rwc", "/usr:rx" }, rules(base))
    assert.same({ "/etc:r", "/home/u/proj:rc", "/usr:rx" }, rules(q))
    assert.equal("1G", q.limits.memory.value)
    assert.same(keys(base.caps), keys(q.caps))
  end)

  -- Taking away the last of a kind must not lift the restriction (no
  -- promise: the empty set, not no filter; no path rule or port: refused).
  it("never takes away the last promise, leaving no filter", function()
    local ok, q = pcall(base.without, base, { promises = "stdio rpath inet" })
    if ok then
      P.apply(q)
      local promised = false
      for _, c in ipairs(S.calls) do if c.fn == "promise" then promised = true end end
      assert.is_true(promised, "the policy applies no promise: no seccomp promise filter")
    end
  end)

  it("never takes away the last path rule, leaving the file system open", function()
    local ok, q = pcall(base.without, base, { paths = { "/usr", "/etc", "/home/u/proj" } })
    if ok then assert.is_true(#q:rules() > 0, "no path rule: Landlock restricts nothing") end
  end)

  it("never takes away the last port, leaving every port open", function()
    -- with connect rules left, bind stays refused on every port
    local q = base:without{ bind = 8080 }
    assert.is_nil(next(q.bind))
    assert.is_not_nil(next(q.connect))
    local all = {}
    for port in pairs(base.connect) do all[#all + 1] = port end
    local err = error_of(base.without, base, { connect = all, bind = 8080 })
    assert.matches("the last port rule", err, 1, true)
  end)
end)

describe("P.apply", function()
  it("calls the primitives in order, each at the line that wrote its rule", function()
    S.source = "a.lua:1"
    local frag = P.new{ promises = "inet", paths = { ["/srv"] = "rw" } }
    S.source = "b.lua:2"
    local p = P.new{
      frag,
      promises = "stdio rpath",
      paths = { "/usr", { "/opt", "rx", optional = true } },
      connect = { 443, 80 },
      bind = 8080,
      limits = { procs = 4, memory = "1G" },
      caps = "net_raw net_bind_service",
      env = { clear = true, set = { A = "1" }, unset = "B" },
      violation = "kill",
      nice = true,
      best_effort = true,
      notes = "hello",
    }
    S.source = "apply.lua:99"
    P.apply(p)
    assert.same({
      "promise(inet)@a.lua:1",
      "promise(rpath)@b.lua:2",
      "promise(stdio)@b.lua:2",
      "unveil(/srv rw {})@a.lua:1",
      "unveil(/usr r {})@b.lua:2",
      "unveil(/opt rx {optional=true})@b.lua:2",
      "connect(443)@b.lua:2",
      "connect(80)@b.lua:2",
      "bind(8080)@b.lua:2",
      "limit({memory=1G})@b.lua:2",
      "limit({procs=4})@b.lua:2",
      "caps.keep(net_bind_service)@b.lua:2",
      "caps.keep(net_raw)@b.lua:2",
      "env.clear()@b.lua:2",
      "env.set(A 1)@b.lua:2",
      "env.unset(B)@b.lua:2",
      "violation(kill)@b.lua:2",
      "nice()@b.lua:2",
      "best_effort()@b.lua:2",
      "note(hello)@b.lua:2",
    }, S.trace())
    assert.same({}, S.fails)
  end)

  it("passes vow.env.keep only the name", function()
    local p = P.new{ env = { clear = true, keep = "PATH" } }
    local ok, err = pcall(P.apply, p)
    assert.is_true(ok, err)
    assert.equal("env.keep", S.calls[2].fn)
    assert.equal(1, S.calls[2].args.n)
  end)

  it("applies nothing for an empty policy", function()
    P.apply(P.new{})
    assert.same({}, S.calls)
  end)

  it("parses a plain table first, at the current line", function()
    S.source = "ret.lua:5"
    P.apply{ promises = "stdio", paths = { "/usr" } }
    assert.same({ "promise(stdio)@ret.lua:5", "unveil(/usr r {})@ret.lua:5" }, S.trace())
    assert.matches("^ret.lua:5: the policy returned: unknown field promise", error_of(P.apply, { promise = "x" }))
  end)

  it("applies what narrow and without leave", function()
    local p = P.new{ promises = "stdio inet", paths = { ["/srv"] = "rwc" } }
    P.apply(p:without{ promises = "inet" }:narrow{ paths = { ["/srv/www"] = "r" } })
    assert.same({ "promise(stdio)@user.lua:7", "unveil(/srv/www r {})@user.lua:7" }, S.trace())
  end)

  it("applies promises = \"\" as the empty promise set", function()
    P.apply(P.new{ promises = "" })
    assert.same({ "promise()@user.lua:7" }, S.trace())
  end)
end)

describe("rules and promise_list", function()
  it("give the rules in order with perms as text, and the promises sorted", function()
    local p = P.new{ promises = "tty stdio", paths = { { "/x", "xr", optional = true } } }
    assert.same({ { path = "/x", perms = "rx", optional = true, source = "user.lua:7" } }, p:rules())
    assert.same({ "stdio", "tty" }, p:promise_list())
  end)
end)
