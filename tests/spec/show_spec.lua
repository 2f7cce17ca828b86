-- show_spec: policy-lib/show.lua renders policies without the kernel.
local show = require("show")

local function policy(fields)
  local p = { limits = {}, caps = {}, env = {}, sources = {}, promises = {}, paths = {},
              best_effort = false, quiet = false, filter_size = 42 }
  for k, v in pairs(fields or {}) do p[k] = v end
  return p
end

describe("show.human", function()
  it("says when nothing is limited", function()
    local out = show.human(policy())
    assert.matches("policy from: the command line only", out, 1, true)
    assert.matches("none beyond the ones vow inherits", out, 1, true)
    assert.matches("capabilities: none", out, 1, true)
    assert.matches("environment: inherited unchanged", out, 1, true)
    assert.matches("42 BPF instructions", out, 1, true)
  end)

  it("says whether scoping can be enforced", function()
    assert.matches("scoping: no signals", show.human(policy{ landlock_abi = 7 }), 1, true)
    assert.matches("needs Landlock ABI 6, this kernel has ABI 5",
                   show.human(policy{ landlock_abi = 5 }), 1, true)
    assert.matches("this kernel has no Landlock", show.human(policy{ landlock_abi = -38 }), 1, true)
  end)

  it("lists limits in the documented order with their sources", function()
    local out = show.human(policy{
      sources = { "a.lua" },
      limits = {
        timeout = { text = "2s", what = "wall", source = "a.lua:2" },
        memory = { text = "1G", what = "mem", source = "a.lua:1" },
      },
    })
    local m = out:find("memory", 1, true)
    local t = out:find("timeout", 1, true)
    assert.truthy(m and t and m < t)
    assert.matches("(a.lua:1)", out, 1, true)
    assert.matches("policy from: a.lua", out, 1, true)
  end)

  it("describes each environment edit", function()
    local out = show.human(policy{ env = {
      { op = "clear", source = "p:1" },
      { op = "keep", name = "PATH", source = "p:2" },
      { op = "set", name = "A", value = "b", source = "p:3" },
      { op = "unset", name = "B", source = "p:4" },
    } })
    assert.matches("clear everything", out, 1, true)
    assert.matches("keep PATH", out, 1, true)
    assert.matches("set A=b", out, 1, true)
    assert.matches("unset B", out, 1, true)
  end)

  it("lists promises with their sources, and what is implied", function()
    local out = show.human(policy{ has_promises = true, implied = { "rpath" },
      promises = { { name = "inet", source = "p:1" }, { name = "stdio", source = "p:2" } } })
    assert.matches("promises: inet stdio  (42 BPF instructions)", out, 1, true)
    assert.matches("stdio       (p:2)", out, 1, true)
    assert.matches("rpath       (implied", out, 1, true)
  end)

  it("says the empty promise set allows only exit", function()
    local out = show.human(policy{ has_promises = true })
    assert.matches("promises: none: only exit works", out, 1, true)
  end)

  it("names the violation mode", function()
    assert.matches("violation: report", show.human(policy()), 1, true)
    assert.matches("violation: kill  (x:1)",
                   show.human(policy{ violation = { mode = "kill", source = "x:1" } }), 1, true)
  end)

  it("lists path rules, or says the file system is open", function()
    assert.matches("paths: none given", show.human(policy()), 1, true)
    local out = show.human(policy{ paths = {
      { path = "/usr", perms = "rx", dir = true, source = "p:1" },
      { path = "/etc/hosts", perms = "r", dir = false, source = "p:2" } } })
    assert.matches("paths: only these", out, 1, true)
    assert.matches("rx   /usr  (p:1)", out, 1, true)
    assert.matches("r    /etc/hosts (file)  (p:2)", out, 1, true)
  end)

  it("lists port rules, or says TCP is open", function()
    assert.matches("ports: none given", show.human(policy()), 1, true)
    local out = show.human(policy{ ports = { { kind = "connect", port = 443, source = "p:1" } } })
    assert.matches("connect 443  (p:1)", out, 1, true)
    assert.matches('vow.connect(443)', show.lua(policy{ ports = { { kind = "connect", port = 443 } } }), 1, true)
  end)

  it("names kept capabilities", function()
    local out = show.human(policy{ caps = { { name = "net_bind_service", source = "p:1" } } })
    assert.matches("all dropped except", out, 1, true)
    assert.matches("net_bind_service", out, 1, true)
  end)
end)

describe("show.lua", function()
  it("writes an empty policy as a comment only", function()
    local out = show.lua(policy())
    assert.equals("-- written by vow show --lua; load it with vow --no-default -f FILE\n", out)
  end)

  it("writes limits as strings vow.limit parses", function()
    local out = show.lua(policy{ limits = {
      memory = { text = "512M" }, procs = { text = "64" }, timeout = { text = "2500ms" } } })
    assert.matches('vow.limit{ memory = "512M", procs = "64", timeout = "2500ms" }', out, 1, true)
  end)

  it("quotes environment values so they load back", function()
    local out = show.lua(policy{ env = {
      { op = "clear" }, { op = "set", name = "Q", value = 'a "b"\n' } } })
    assert.matches("vow.env.clear()", out, 1, true)
    local args = out:match("vow%.env%.set(%b())")
    local name, value = load("return " .. args:sub(2, -2))()
    assert.equals("Q", name)
    assert.equals('a "b"\n', value)
  end)

  it("writes promises and the violation mode", function()
    local out = show.lua(policy{ has_promises = true, violation = { mode = "eperm" },
      promises = { { name = "rpath" }, { name = "stdio" } } })
    assert.matches('vow.promise("rpath stdio")', out, 1, true)
    assert.matches('vow.violation("eperm")', out, 1, true)
    assert.matches('vow.promise("")', show.lua(policy{ has_promises = true }), 1, true)
  end)

  it("writes path rules", function()
    local out = show.lua(policy{ paths = { { path = "/a b", perms = "rwc", dir = true } } })
    assert.matches('vow.unveil("/a b", "rwc")', out, 1, true)
  end)

  it("keeps switches", function()
    local out = show.lua(policy{ nice = { source = "x" }, best_effort = true, quiet = true,
                                 caps = { { name = "chown" } } })
    assert.matches("vow.nice()", out, 1, true)
    assert.matches("vow.best_effort()", out, 1, true)
    assert.matches("vow.quiet()", out, 1, true)
    assert.matches('vow.caps.keep{ "chown" }', out, 1, true)
  end)

  it("is valid Lua", function()
    local out = show.lua(policy{ limits = { cpu = { text = "3s" } },
                                 env = { { op = "keep", name = "HOME" } } })
    assert.truthy(load(out))
  end)
end)
