-- carve_spec: policy-lib/carve.lua compiles "a tree except some paths"
-- into rules Landlock can hold, here over a fake file tree.
local fake = dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "fake_vow.lua")

local carve, V, S, fs

local PROJECT = {
  ["/p/.env"] = "file",
  ["/p/.env.local"] = "file",
  ["/p/.envrc"] = "file",
  ["/p/.git/HEAD"] = "file",
  ["/p/.git/config"] = "file",
  ["/p/.git/hooks/pre-commit"] = "file",
  ["/p/.git/objects/ab"] = "file",
  ["/p/README"] = "file",
  ["/p/a.key"] = "file",
  ["/p/a.keys"] = "file",
  ["/p/link"] = { link = "/etc" },
  ["/p/src/main.c"] = "file",
  ["/p/src/b.key"] = "file",
  ["/etc/shadow"] = "file",
  ["/etc/passwd"] = "file",
  ["/pq/x"] = "file",
}

local function setup(tree, opts)
  opts = opts or {}
  opts.tree = tree
  V, S = fake.install(opts)
  carve = require("carve")
  fs = { list = V.list, realpath = V.realpath }
end

-- the rules as "path:perms" strings
local function texts(rules)
  local out = {}
  for _, r in ipairs(rules) do out[#out + 1] = r.path .. ":" .. r.perms end
  return out
end

local function perms_of(rules, path)
  for _, r in ipairs(rules) do if r.path == path then return r.perms end end
end

describe("carve.compile", function()
  before_each(function() setup(PROJECT) end)

  it("gives PERMS to what is beside the excluded paths and l to the directories above them", function()
    local rules, notes, excluded = carve.compile(fs, "/p", "rwc", { "*.key", ".env*", ".git/hooks" })
    assert.same({
      "/p:l",
      "/p/.git:l",
      "/p/.git/HEAD:rwc",
      "/p/.git/config:rwc",
      "/p/.git/objects:rwc",
      "/p/README:rwc",
      "/p/a.keys:rwc",
      "/p/src:rwc",
    }, texts(rules))
    assert.same({ "/p/.env", "/p/.env.local", "/p/.envrc", "/p/.git/hooks", "/p/a.key" }, excluded)
    assert.matches("carve-out: /p:rwc except *.key, .env*, .git/hooks: 6 rules for what is beside them " ..
                   "(kept out: /p/.env, /p/.env.local, /p/.envrc, /p/.git/hooks, /p/a.key); " ..
                   "/p, /p/.git get only l (list)", notes[1], 1, true)
    assert.matches("directly in them", notes[1], 1, true)
  end)

  it("leaves no rule that reaches an excluded path", function()
    local rules = carve.compile(fs, "/p", "rwc", { "*.key", ".env*", ".git/hooks" })
    for _, r in ipairs(rules) do
      for _, out in ipairs{ "/p/.env", "/p/.envrc", "/p/.git/hooks/pre-commit", "/p/a.key" } do
        local reaches = out == r.path or out:sub(1, #r.path + 1) == r.path .. "/"
        -- l on a directory above lets its entries be listed, nothing more
        assert.is_true(not reaches or r.perms == "l", r.path .. ":" .. r.perms .. " reaches " .. out)
      end
    end
  end)

  it("gives symlinks no rule, and says so", function()
    local rules, notes = carve.compile(fs, "/p", "r", { ".env" })
    assert.is_nil(perms_of(rules, "/p/link"))
    assert.equal("r", perms_of(rules, "/p/README"))
    assert.matches("1 symlinks in /p left out", notes[2], 1, true)
    setup{ ["/q/a"] = "file" }
    local _, quiet = carve.compile(fs, "/q", "r", { "b" })
    assert.equal(1, #quiet)
  end)

  it("gives l only when PERMS can read", function()
    local rules = carve.compile(fs, "/p", "wc", { ".git/hooks" })
    assert.is_nil(perms_of(rules, "/p"))
    assert.is_nil(perms_of(rules, "/p/.git"))
    assert.equal("wc", perms_of(rules, "/p/.git/config"))
    assert.equal("wc", perms_of(rules, "/p/src"))
    rules = carve.compile(fs, "/p", "rx", { ".git/hooks" })
    assert.equal("l", perms_of(rules, "/p"))
    assert.equal("l", perms_of(rules, "/p/.git"))
    assert.equal("rx", perms_of(rules, "/p/src"))
  end)

  it("does not note an l it did not give", function()
    local _, notes = carve.compile(fs, "/p", "wc", { ".git/hooks" })
    assert.not_matches("get only l", notes[1], 1, true)
  end)

  it("matches a glob against one whole name, other characters literally", function()
    setup{ ["/g/a.b"] = "file", ["/g/axb"] = "file", ["/g/a.bc"] = "file", ["/g/key"] = "file",
           ["/g/x.key"] = "file", ["/g/x.key.bak"] = "file", ["/g/f(1)"] = "file", ["/g/f1"] = "file",
           ["/g/100%"] = "file", ["/g/1000"] = "file", ["/g/x+y"] = "file", ["/g/xxy"] = "file",
           ["/g/xf(1)"] = "file", ["/g/.envrc"] = "file", ["/g/x.env"] = "file" }
    local _, _, excluded = carve.compile(fs, "/g", "r", { "a.b", "*.key", "f(1)*", "100%", "x+y", ".env*" })
    assert.same({ "/g/.envrc", "/g/100%", "/g/a.b", "/g/f(1)", "/g/x+y", "/g/x.key" }, excluded)
  end)

  it("matches a pattern at its own depth only", function()
    local rules, _, excluded = carve.compile(fs, "/p", "r", { "*.key" })
    assert.same({ "/p/a.key" }, excluded)
    assert.equal("r", perms_of(rules, "/p/src")) -- src/b.key is under this rule
    setup{ ["/w/src/secret"] = "file", ["/w/docs/secret"] = "dir", ["/w/docs/x"] = "file", ["/w/secret"] = "file" }
    rules, _, excluded = carve.compile(fs, "/w", "r", { "*/secret" })
    assert.same({ "/w/docs/secret", "/w/src/secret" }, excluded)
    assert.same({ "/w:l", "/w/docs:l", "/w/docs/x:r", "/w/secret:r", "/w/src:l" }, texts(rules))
  end)

  it("goes down through nested exclusions, several per directory", function()
    setup{ ["/n/a/b/c/secret"] = "file", ["/n/a/b/c/ok"] = "file", ["/n/a/b/other"] = "file",
           ["/n/a/sib"] = "file", ["/n/a/b/c/key2"] = "file" }
    local rules, notes, excluded = carve.compile(fs, "/n", "rw", { "a/b/c/secret", "a/b/c/key2" })
    assert.same({ "/n:l", "/n/a:l", "/n/a/b:l", "/n/a/b/c:l", "/n/a/b/c/ok:rw", "/n/a/b/other:rw",
                  "/n/a/sib:rw" }, texts(rules))
    assert.same({ "/n/a/b/c/key2", "/n/a/b/c/secret" }, excluded)
    assert.matches("/n, /n/a, /n/a/b, /n/a/b/c get only l", notes[1], 1, true)
  end)

  it("gives PERMS to a file or link where an exclusion expected a directory", function()
    local rules, _, excluded = carve.compile(fs, "/p", "r", { "README/x", "link/passwd" })
    assert.same({}, excluded)
    assert.equal("r", perms_of(rules, "/p/README"))
    assert.is_nil(perms_of(rules, "/p/link"))
  end)

  it("takes absolute paths beneath the root", function()
    local _, _, excluded = carve.compile(fs, "/p", "r", { "/p/.env", "/p/.git/hooks/" })
    assert.same({ "/p/.env", "/p/.git/hooks" }, excluded)
  end)

  it("notes when none of the paths to keep out exists now", function()
    local rules, notes, excluded = carve.compile(fs, "/p", "rwc", { ".vow.lua", "nothere/x" })
    assert.same({}, excluded)
    assert.matches("(none of them exists now)", notes[1], 1, true)
    assert.equal("l", perms_of(rules, "/p")) -- nothing can be created in /p: .vow.lua cannot appear
    assert.equal("rwc", perms_of(rules, "/p/README"))
    local _, notes2 = carve.compile(fs, "/p", "rwc", { ".vow.lua", ".env" })
    assert.not_matches("none of them exists", notes2[1], 1, true)
    assert.matches("(kept out: /p/.env)", notes2[1], 1, true)
  end)

  it("notes a directory it cannot list, and allows nothing beneath it", function()
    setup(PROJECT, { unlistable = { ["/p/.git"] = true } })
    local rules, notes = carve.compile(fs, "/p", "r", { ".git/hooks" })
    assert.is_nil(perms_of(rules, "/p/.git"))
    assert.is_nil(perms_of(rules, "/p/.git/HEAD"))
    assert.equal("r", perms_of(rules, "/p/README"))
    local found = false
    for _, n in ipairs(notes) do
      if n:find("/p/.git could not be listed; nothing beneath it is allowed", 1, true) then found = true end
    end
    assert.is_true(found)
  end)

  it("refuses an empty or missing list", function()
    local rules, err = carve.compile(fs, "/p", "r", {})
    assert.is_nil(rules)
    assert.equal("a carve-out needs a list of paths to keep out", err)
    assert.is_nil((carve.compile(fs, "/p", "r", nil)))
    assert.is_nil((carve.compile(fs, "/p", "r", ".env")))
  end)

  it("refuses entries that are not non-empty strings", function()
    for _, bad in ipairs{ "", 5, true } do
      local rules, err = carve.compile(fs, "/p", "r", { ".env", bad })
      assert.is_nil(rules)
      assert.equal("paths to keep out are non-empty strings", err)
    end
  end)

  it("refuses ..", function()
    for _, bad in ipairs{ "..", "../etc/shadow", "src/../../etc", "/p/../etc" } do
      local rules, err = carve.compile(fs, "/p", "r", { bad })
      assert.is_nil(rules, bad)
      assert.matches("'..' is not allowed in a carve-out", err, 1, true)
    end
    assert.is_not_nil((carve.compile(fs, "/p", "r", { "..x", "x.." })))
  end)

  it("refuses an absolute path outside the root, or the root itself", function()
    local rules, err = carve.compile(fs, "/p", "r", { "/etc/shadow" })
    assert.is_nil(rules)
    assert.equal("/etc/shadow is not beneath /p", err)
    assert.equal("/pq/x is not beneath /p", select(2, carve.compile(fs, "/p", "r", { "/pq/x" })))
    assert.equal("/p is not beneath /p", select(2, carve.compile(fs, "/p", "r", { "/p" })))
  end)

  it("refuses a relative path that names the root", function()
    for _, bad in ipairs{ ".", "./", "./.", ".//" } do
      local rules, err = carve.compile(fs, "/p", "r", { bad })
      assert.is_nil(rules, bad)
      assert.equal(string.format("%q would keep out all of /p", bad), err)
    end
  end)

  it("carves the whole tree with relative paths", function()
    local rules, _, excluded = carve.compile(fs, "/", "r", { "etc/shadow" })
    assert.same({ "/etc/shadow" }, excluded)
    assert.equal("l", perms_of(rules, "/etc"))
    assert.equal("r", perms_of(rules, "/etc/passwd"))
    assert.equal("r", perms_of(rules, "/p"))
  end)

  it("carves the whole tree with absolute paths", function()
    local rules, notes, excluded = carve.compile(fs, "/", "r", { "/etc/shadow" })
    assert.same({ "/etc/shadow" }, excluded)
    assert.equal("l", perms_of(rules, "/etc"))
    assert.not_matches("none of them exists", notes[1], 1, true)
  end)
end)
