-- learn_spec: policy-lib/learn.lua turns what one run did into a policy
-- file.  Each spec checks the text, then loads it with a stub `require
-- "policy"` that records the table given to P.new (and what the helpers
-- were called with); one loads it with the real library over fake_vow.
local fake = dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "fake_vow.lua")
local learn = require("learn")

local LD, LIBC = "/lib64/ld-linux-x86-64.so.2", "/lib/x86_64-linux-gnu/libc.so.6"
local PY = "/usr/bin/python3.11"

-- An observation of a run of python3 in /w/proj; FIELDS replace its parts.
local function obs(fields)
  local o = {
    argv = { "python3", "gen.py" }, command = PY, cwd = "/w/proj", home = "/root", tmp = "/tmp",
    project = "/w/proj", date = "2026-11-22 15:30 UTC", promises = { rpath = 3 }, refused = {},
    paths = {}, exec_deps = { [PY] = { PY, LD, LIBC } }, connect = {}, bind = {}, procs = 1,
  }
  for k, v in pairs(fields or {}) do o[k] = v end
  return o
end

-- The text run with a stub policy library and nothing else in reach:
-- the table given to P.new; helpers come back as { helper =, args = }.
local function load_policy(text)
  local P, given = {}, nil
  for _, name in ipairs{ "command", "program", "tmpdir", "project" } do
    P[name] = function(...) return { helper = name, args = table.pack(...) } end
  end
  function P.new(fields)
    given = fields
    return fields
  end
  local env = { require = function(name)
    assert.equal("policy", name)
    return P
  end }
  local chunk, err = load(text, "=learned", "t", env)
  assert(chunk, err)
  assert.equal(given or chunk(), given)
  return given
end

-- The helpers in the list part, as "name(args)".
local function helpers(fields)
  local out = {}
  for _, h in ipairs(fields) do
    local args = {}
    for i = 1, h.args.n do args[i] = tostring(h.args[i]) end
    out[#out + 1] = h.helper .. "(" .. table.concat(args, ",") .. ")"
  end
  return out
end

-- The path rules as "path:perms", "?" after optional ones.
local function rules(fields)
  local out = {}
  for _, r in ipairs(fields.paths or {}) do
    out[#out + 1] = r[1] .. ":" .. r[2] .. (r.optional and "?" or "")
  end
  return out
end

local function write(o, opts)
  local text = learn.write(o, opts)
  return text, load_policy(text)
end

-- The line of TEXT holding the rule for PATH.
local function line_of(text, path)
  for l in text:gmatch("[^\n]+") do
    if l:find("{ " .. learn.quote(path) .. ",", 1, true) then return l end
  end
end

describe("learn.write", function()
  it("gives a command that only used stdio the stdio promise and its own files", function()
    local text, p = write(obs{ promises = {}, argv = { "true" }, command = "/usr/bin/true",
                               exec_deps = { ["/usr/bin/true"] = { "/usr/bin/true", LD, LIBC } } })
    assert.equal("stdio", p.promises)
    assert.same({ "command()" }, helpers(p))
    assert.is_nil(p.paths)
    assert.is_nil(p.connect)
    assert.is_nil(p.bind)
    assert.is_nil(p.limits)
    assert.matches("-- Learned by vow learn on 2026-11-22 15:30 UTC from: true\n", text, 1, true)
    assert.matches("P%.command%(%), +%-%- /usr/bin/true, its loader and libraries %(3 files%)", text)
  end)

  it("is valid with every table empty or missing", function()
    local _, p = write{}
    assert.equal("stdio", p.promises)
    assert.same({ "command()" }, helpers(p))
  end)

  it("lists the promises in the documented order on one line, never loader", function()
    local text, p = write(obs{ promises = { vminfo = 1, exec = 2, inet = 1, rpath = 9, loader = 4, wpath = 1,
                                            stdio = 5, cpath = 1, proc = 1 } })
    assert.equal("stdio rpath wpath cpath inet proc exec vminfo", p.promises)
    assert.not_matches("loader", text:match("promises = [^\n]*"), 1, true)
    assert.matches('\n  promises = "stdio rpath wpath cpath inet proc exec vminfo",\n', text, 1, true)
  end)

  it("gives tmppath as P.tmpdir(), not as a promise word", function()
    local _, p = write(obs{ promises = { rpath = 1, tmppath = 1 } })
    assert.equal("stdio rpath", p.promises)
    assert.same({ "command()", "tmpdir()" }, helpers(p))
  end)

  it("replaces what was done under the temporary directory by P.tmpdir()", function()
    local text, p = write(obs{ paths = {
      ["/tmp/tmpab12"] = { c = 1, w = 2 },
      ["/tmp/cache/x"] = { r = 1 },
      ["/tmp"] = { l = 1, dir = true },
    } })
    assert.same({ "command()", "tmpdir()" }, helpers(p))
    assert.is_nil(p.paths)
    assert.matches("P%.tmpdir%(%), +%-%- 3 paths under /tmp in this run: a private %$TMPDIR instead", text)
  end)

  it("does not take a work tree inside the temporary directory for temporary files", function()
    local _, p = write(obs{ cwd = "/tmp/build", project = false, tmp = "/tmp", paths = {
      ["/tmp/build/out.o"] = { c = 1, w = 1 },
      ["/tmp/x"] = { c = 1 },
    } })
    assert.same({ "command()", "tmpdir()" }, helpers(p))
    assert.same({ "/tmp/build:wc" }, rules(p))
  end)

  it("covers the command's own files by P.command() and other programs' by P.program", function()
    local text, p = write(obs{ promises = { rpath = 1, exec = 1 }, paths = {
      [PY] = { r = 1, x = 1 },
      [LIBC] = { r = 2 },
      [LD] = { r = 1 },
      ["/usr/bin/sort"] = { x = 2 },
      ["/usr/lib/x86_64-linux-gnu/libsort.so"] = { r = 1 },
    }, exec_deps = {
      [PY] = { PY, LD, LIBC },
      ["/usr/bin/sort"] = { "/usr/bin/sort", LD, LIBC, "/usr/lib/x86_64-linux-gnu/libsort.so" },
    } })
    assert.same({ "command()", "program(/usr/bin/sort)" }, helpers(p))
    assert.is_nil(p.paths)
    assert.matches("P%.command%(%), +%-%- /usr/bin/python3%.11, its loader and libraries", text)
    assert.matches('P%.program%("/usr/bin/sort"%), +%-%- run 2 times, with its loader and libraries', text)
  end)

  it("leaves the exec promise to the observations", function()
    local _, p = write(obs{ promises = { rpath = 1 }, paths = { ["/usr/bin/sort"] = { x = 1 } },
                            exec_deps = { [PY] = { PY }, ["/usr/bin/sort"] = { "/usr/bin/sort" } } })
    assert.equal("stdio rpath", p.promises)
    assert.same({ "command()", "program(/usr/bin/sort)" }, helpers(p))
  end)

  it("gives a file executed without known start-up files its own x rule", function()
    local _, p = write(obs{ paths = { ["/opt/tool/run"] = { x = 1, r = 1 } } })
    assert.same({ "/opt/tool/run:rx" }, rules(p))
    assert.same({ "command()" }, helpers(p))
  end)

  it("covers the project's reads by one P.project() that says how many", function()
    local text, p = write(obs{ paths = {
      ["/w/proj/gen.py"] = { r = 1 },
      ["/w/proj/lib/a.py"] = { r = 2 },
      ["/w/proj/lib"] = { l = 1, dir = true },
    } })
    assert.same({ "command()", "project()" }, helpers(p))
    assert.is_nil(p.paths)
    assert.matches("P%.project%(%), +%-%- /w/proj read%-only without its secrets: " ..
                   "2 files read, 1 directory listed", text)
  end)

  it("gives a secret of the project that was read a rule of its own, marked for review", function()
    local text, p = write(obs{ paths = {
      ["/w/proj/gen.py"] = { r = 1 },
      ["/w/proj/.env"] = { r = 1 },
      ["/w/proj/.git/config"] = { r = 1 },
      ["/w/proj/.git/HEAD"] = { r = 1 },
    } })
    assert.same({ "command()", "project()" }, helpers(p))
    assert.same({ "/w/proj/.env:r", "/w/proj/.git/config:r" }, rules(p))
    assert.matches("REVIEW: a secret P.project() keeps out, and this run read it",
                   line_of(text, "/w/proj/.env"), 1, true)
  end)

  it("keeps every file its own rule with exact = true", function()
    local o = obs{ project = "/w/proj", paths = {
      ["/w/proj/gen.py"] = { r = 1 },
      ["/w/proj/.env"] = { r = 1 },
      ["/usr/lib/python3.11/a.py"] = { r = 1 },
      ["/usr/lib/python3.11/b.py"] = { r = 1 },
      ["/usr/lib/python3.11/json/c.py"] = { r = 1 },
      ["/w/proj/out.txt"] = { c = 1, w = 1 },
    } }
    local text, p = write(o, { exact = true })
    assert.same({ "command()" }, helpers(p))
    assert.same({ "/usr/lib/python3.11/a.py:r", "/usr/lib/python3.11/b.py:r", "/usr/lib/python3.11/json/c.py:r",
                  "/w/proj:wc", "/w/proj/.env:r", "/w/proj/gen.py:r" }, rules(p))
    assert.not_matches("REVIEW", text, 1, true)
  end)

  it("reads 3 or more files under a directory at depth 3 as one rule on the shallowest", function()
    local text, p = write(obs{ project = false, paths = {
      ["/usr/lib/python3.11/json/decoder.py"] = { r = 1 },
      ["/usr/lib/python3.11/json/encoder.py"] = { r = 1 },
      ["/usr/lib/python3.11/os.py"] = { r = 1 },
      ["/usr/lib/python3.11/json"] = { l = 1, dir = true },
    } })
    assert.same({ "/usr/lib/python3.11:r" }, rules(p))
    assert.matches("-- 3 files read under it", line_of(text, "/usr/lib/python3.11"), 1, true)
  end)

  it("keeps files single below the threshold and directly in shallow directories", function()
    local _, p = write(obs{ paths = {
      ["/usr/share/zoneinfo/Europe/Paris"] = { r = 1 },
      ["/usr/share/zoneinfo/UTC"] = { r = 1 },
      ["/etc/passwd"] = { r = 1 },
      ["/etc/group"] = { r = 1 },
      ["/etc/nsswitch.conf"] = { r = 1 },
      ["/etc/ssl/openssl.cnf"] = { r = 1 },
      ["/etc/ssl/a.pem"] = { r = 1 },
      ["/etc/ssl/b.pem"] = { r = 1 },
    } })
    assert.same({ "/etc/group:r", "/etc/nsswitch.conf:r", "/etc/passwd:r", "/etc/ssl/a.pem:r", "/etc/ssl/b.pem:r",
                  "/etc/ssl/openssl.cnf:r", "/usr/share/zoneinfo/Europe/Paris:r", "/usr/share/zoneinfo/UTC:r" },
                rules(p))
  end)

  it("reads many files directly in a shallower directory as that directory, but never in /etc", function()
    local paths = {}
    for i = 1, 8 do
      paths["/usr/include/h" .. i .. ".h"] = { r = 1 }
      paths["/etc/f" .. i] = { r = 1 }
    end
    paths["/usr/share/a"] = { r = 1 }
    local text, p = write(obs{ project = false, paths = paths })
    local got = rules(p)
    assert.equal("/usr/include:r", got[#got - 1])
    assert.equal("/usr/share/a:r", got[#got])
    assert.equal(10, #got) -- the eight files of /etc stay single
    assert.matches("-- 8 files read under it", line_of(text, "/usr/include"), 1, true)
    local _, exact = write(obs{ project = false, paths = paths }, { exact = true })
    assert.equal(17, #rules(exact))
  end)

  it("does not widen a read in the home directory beyond one application's directory", function()
    local _, p = write(obs{ home = "/home/u", project = false, paths = {
      ["/home/u/.config/app/a"] = { r = 1 },
      ["/home/u/.config/app/b"] = { r = 1 },
      ["/home/u/.config/app/sub/c"] = { r = 1 },
      ["/home/u/.config/other"] = { r = 1 },
    } })
    assert.same({ "/home/u/.config/app:r", "/home/u/.config/other:r" }, rules(p))
  end)

  it("gives a directory only listed l, unless a read rule above holds it", function()
    local text, p = write(obs{ project = false, paths = {
      ["/usr/share/doc"] = { l = 1, dir = true },
      ["/usr/lib/python3.11/a.py"] = { r = 1 },
      ["/usr/lib/python3.11/b.py"] = { r = 1 },
      ["/usr/lib/python3.11/c.py"] = { r = 1 },
      ["/usr/lib/python3.11/encodings"] = { l = 1, dir = true },
    } })
    assert.same({ "/usr/lib/python3.11:r", "/usr/share/doc:l" }, rules(p))
    assert.matches("-- listed", line_of(text, "/usr/share/doc"), 1, true)
  end)

  it("gives an existing file written a rule of its own, with r when it was read too", function()
    local text, p = write(obs{ project = false, paths = {
      ["/var/log/app.log"] = { w = 3 },
      ["/usr/lib/python3.11/a.py"] = { r = 1 },
      ["/usr/lib/python3.11/b.py"] = { r = 1 },
      ["/usr/lib/python3.11/state.db"] = { r = 1, w = 1 },
    } })
    assert.same({ "/usr/lib/python3.11:r", "/usr/lib/python3.11/state.db:rw", "/var/log/app.log:w" }, rules(p))
    assert.matches("-- read and written", line_of(text, "/usr/lib/python3.11/state.db"), 1, true)
    -- in the project too: P.project() reads, the file's rule says all
    _, p = write(obs{ paths = { ["/w/proj/state.db"] = { r = 1, w = 1 }, ["/w/proj/a"] = { r = 1 } } })
    assert.same({ "/w/proj/state.db:rw" }, rules(p))
  end)

  it("gives the directory of a created file c, and w when the file was written", function()
    local text, p = write(obs{ paths = {
      ["/w/proj/out.txt"] = { c = 1, w = 1 },
      ["/w/proj/logs/run.log"] = { c = 1 },
    } })
    assert.same({ "/w/proj:wc", "/w/proj/logs:c" }, rules(p))
    assert.matches("-- 1 created: out.txt", line_of(text, "/w/proj"), 1, true)
    assert.matches("-- 1 created: run.log", line_of(text, "/w/proj/logs"), 1, true)
  end)

  it("names the first few entries created and counts the rest", function()
    local paths = {}
    for i = 1, 7 do paths[string.format("/w/out/f%d", i)] = { c = 1, w = 1 } end
    local text, p = write(obs{ project = false, paths = paths })
    assert.same({ "/w/out:wc" }, rules(p))
    assert.matches("-- 7 created: f1, f2, f3, f4 and 3 more", line_of(text, "/w/out"), 1, true)
  end)

  it("gives the directory of a removed file c, and the file's own rule optional", function()
    local text, p = write(obs{ project = false, paths = {
      ["/w/data/old.txt"] = { r = 1, d = 1 },
      ["/w/data/gone"] = { d = 1, dir = true },
    } })
    assert.same({ "/w/data:c", "/w/data/old.txt:r?" }, rules(p))
    assert.matches("-- 2 removed: gone/, old.txt", line_of(text, "/w/data"), 1, true)
    assert.matches('{ "/w/data/old.txt", "r", optional = true },', text, 1, true)
  end)

  it("puts what was made in new directories on the nearest directory that existed", function()
    local text, p = write(obs{ project = false, paths = {
      ["/w/build"] = { c = 1, dir = true },
      ["/w/build/obj"] = { c = 1, dir = true },
      ["/w/build/obj/a.o"] = { c = 1, w = 1, r = 1 },
    } })
    assert.same({ "/w:rwc" }, rules(p))
    assert.matches("-- 3 created: build/, build/obj/, build/obj/a.o", line_of(text, "/w"), 1, true)
  end)

  it("merges the letters of a directory read as a whole and written in into one rule", function()
    local _, p = write(obs{ project = false, paths = {
      ["/w/proj/out/a"] = { r = 1 },
      ["/w/proj/out/b"] = { r = 1 },
      ["/w/proj/out/sub/c"] = { r = 1 },
      ["/w/proj/out/new"] = { c = 1, w = 1 },
    } })
    assert.same({ "/w/proj/out:rwc" }, rules(p))
  end)

  it("gives a program made in this run x on its directory and its start-up files their own rules", function()
    local _, p = write(obs{ project = false, promises = { exec = 1 }, paths = {
      ["/w/a.out"] = { c = 1, w = 1, x = 1 },
    }, exec_deps = { [PY] = { PY, LD, LIBC }, ["/w/a.out"] = { "/w/a.out", LD, "/usr/lib/libnew.so" } } })
    assert.same({ "command()" }, helpers(p))
    assert.same({ "/usr/lib/libnew.so:rx", "/w:wxc" }, rules(p))
  end)

  it("gives the ports sorted, with their counts", function()
    local text, p = write(obs{ connect = { [8080] = 3, [443] = 1 }, bind = { [9000] = 1 } })
    assert.same({ 443, 8080 }, p.connect)
    assert.same({ 9000 }, p.bind)
    assert.matches("connect = { 443, 8080 }, +%-%- connected to 443 %(1 time%), 8080 %(3 times%)", text)
    assert.matches("bind = { 9000 }, +%-%- bound 9000 %(1 time%)", text)
  end)

  it("offers a process cap with headroom when the run forked, commented out", function()
    local text, p = write(obs{ procs = 3 })
    assert.is_nil(p.limits)
    assert.matches("\n  %-%- limits = { procs = 16 }, +%-%- at most 3 at once in this run; a cap makes forks wait", text)
    text = write(obs{ procs = 20 })
    assert.matches("%-%- limits = { procs = 40 },", text)
    text = write(obs{ procs = 1 })
    assert.not_matches("procs", text)
  end)

  it("lists the refused calls at the top, sorted", function()
    local text = write(obs{ refused = { { call = "ptrace(PTRACE_ATTACH, 1)", count = 1 },
                                        { call = "mount(\"none\", \"/mnt\")", count = 2 } } })
    local top = text:match("^(.-)local P")
    assert.matches("refused by every policy", top, 1, true)
    local m, pt = top:find("--   mount(\"none\", \"/mnt\")  (2 times)", 1, true),
                  top:find("--   ptrace(PTRACE_ATTACH, 1)  (1 time)", 1, true)
    assert.truthy(m and pt and m < pt)
  end)

  it("leaves out per-process /proc entries and says so", function()
    local text, p = write(obs{ paths = { ["/proc/4242/status"] = { r = 1 }, ["/proc/4242"] = { l = 1, dir = true },
                                         ["/proc/cpuinfo"] = { r = 1 } } })
    assert.same({ "/proc/cpuinfo:r" }, rules(p))
    assert.matches("--   /proc/4242, /proc/4242/status\n", text, 1, true)
  end)

  it("needs no rule for what the promises unveil by themselves", function()
    local text, p = write(obs{ paths = { ["/dev/null"] = { w = 1 }, ["/etc/localtime"] = { r = 1 },
                                         ["/etc/hosts"] = { r = 1 } },
                               promise_files = { { promise = "stdio", path = "/dev/null", perms = "rw" },
                                                 { promise = "stdio", path = "/etc/localtime", perms = "r" },
                                                 { promise = "dns", path = "/etc/hosts", perms = "r" } } })
    assert.same({ "/etc/hosts:r" }, rules(p)) -- dns was not promised
    assert.matches("-- stdio brings /dev/null, /etc/localtime", text, 1, true)
  end)

  it("is the same text whatever order the observations came in", function()
    local names = { "/w/out/c", "/w/out/a", "/usr/lib/python3.11/z.py", "/etc/b", "/w/out/b", "/etc/a" }
    local function build(order)
      local paths = {}
      for _, i in ipairs(order) do paths[names[i]] = { r = 1, c = i % 2 == 0 and 1 or nil } end
      return learn.write(obs{ project = false, paths = paths })
    end
    assert.equal(build{ 1, 2, 3, 4, 5, 6 }, build{ 6, 5, 4, 3, 2, 1 })
    assert.equal(build{ 1, 2, 3, 4, 5, 6 }, build{ 3, 1, 6, 2, 5, 4 })
  end)

  it("raises on observations that are not what the C side promised", function()
    local ok, err = pcall(learn.write, obs{ connect = { ["8080; os.exit()"] = 1 } })
    assert.is_false(ok)
    assert.matches("learn: obs.connect: a port is a whole number", err, 1, true)
    ok, err = pcall(learn.write, obs{ procs = "3" })
    assert.is_false(ok)
    assert.matches("learn: obs.procs", err, 1, true)
  end)
end)

describe("learn.write with hostile names", function()
  local HOSTILE = {
    '/w/q"uote',
    "/w/new\nline = os.exit()",
    "/w/]]close",
    "/w/--[[comment",
    "/w/back\\slash\\",
    "/w/cr\rreturn",
    "/w/nul\0byte",
    "/w/\"}, os.exit(), {\"",
  }

  it("writes every byte as a string literal that reads back the same", function()
    for b = 0, 255 do
      local s = "a" .. string.char(b) .. "1"
      assert.equal(s, load("return " .. learn.quote(s))())
    end
  end)

  it("keeps such names whole in the rules and out of the code", function()
    local paths = {}
    for _, h in ipairs(HOSTILE) do paths[h] = { r = 1, w = 1 } end
    local text, p = write(obs{ project = false, paths = paths })
    local got = {}
    for _, r in ipairs(p.paths) do got[r[1]] = r[2] end
    for _, h in ipairs(HOSTILE) do assert.equal("rw", got[h], h) end
    assert.equal(#HOSTILE, #p.paths)
    -- one line per rule: nothing ended a string or a comment early
    local n = 0
    for l in text:gmatch("[^\n]+") do
      if l:match("^    { ") then n = n + 1 end
    end
    assert.equal(#HOSTILE, n)
    assert.not_matches("\r", text, 1, true)
    assert.not_matches("\0", text, 1, true)
  end)

  it("shows such names in comments only with their control characters escaped", function()
    local paths = {}
    for _, h in ipairs(HOSTILE) do paths[h] = { c = 1 } end
    paths["/v/new\nline = os.exit()"] = { c = 1 }
    local text, p = write(obs{ project = false, argv = { "sh", "-c", "echo hi\nos.exit(1)" },
                               refused = { { call = "open(\"x\n]]--\")", count = 1 } }, paths = paths })
    assert.same({ "/v:c", "/w:c" }, rules(p))
    -- every line before the code is a comment
    local top = text:match("^(.-)local P")
    for l in top:gmatch("[^\n]+") do assert.matches("^%-%-", l) end
    assert.matches("from: sh -c 'echo hi\\010os.exit(1)'", top, 1, true)
    assert.matches("open(\"x\\010]]--\")", top, 1, true)
    assert.matches("new\\010line = os.exit()", line_of(text, "/v"), 1, true)
    -- the text has the lines it should: header (6), code (5), two rules
    local lines = 0
    for _ in text:gmatch("\n") do lines = lines + 1 end
    assert.equal(16, lines)
  end)
end)

describe("learn.write with the real policy library", function()
  it("loads into a policy value with the rules it wrote", function()
    local _, S = fake.install{
      tree = { [PY] = "file", [LD] = "file", [LIBC] = "file", ["/usr/lib/python3.11/a.py"] = "file",
               ["/w/proj/out.txt"] = "file", ["/w/proj/gen.py"] = "file", ["/w/proj/.git"] = "dir" },
      deps = { python3 = { PY, LD, LIBC } }, cwd = "/w/proj", home = "/root", argv = { "python3", "gen.py" },
    }
    local P = require("policy")
    local text = learn.write(obs{ promises = { rpath = 5, wpath = 1, cpath = 1 }, paths = {
      ["/w/proj/gen.py"] = { r = 1 },
      ["/w/proj/out.txt"] = { c = 1, w = 1 },
      ["/etc/passwd"] = { r = 1 },
      ['/w/proj/q"x\n'] = { c = 1 },
    }, connect = { [443] = 1 }, procs = 4 })
    local chunk = assert(load(text, "=learned", "t", { require = require }))
    local p = chunk()
    assert.is_true(P.is(p))
    assert.same({ "cpath", "rpath", "stdio", "wpath" }, p:promise_list())
    -- P.command's files, P.project's carve-out (l on the root and on .git,
    -- r beside them), then the rules written out
    assert.same({ PY .. ":rx", LD .. ":rx", LIBC .. ":rx", "/w/proj:l", "/w/proj/.git:l", "/w/proj/gen.py:r",
                  "/w/proj/out.txt:r", "/etc/passwd:r", "/w/proj:wc" }, fake.rules(p))
    assert.same({ "443" }, fake.keys(p.connect))
    assert.is_nil(p.limits.procs) -- the process cap is offered in a comment only
    assert.same({}, S.fails)
  end)
end)
