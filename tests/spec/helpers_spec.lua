-- helpers_spec: policy-lib/helpers.lua (P.program, P.interpreter, P.tmpdir,
-- P.carve, P.system, P.project_root, P.project, P.user_config) against a
-- fake `vow` and a fake file tree, without the kernel.
local fake = dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "fake_vow.lua")
local error_of, rules = fake.error_of, fake.rules

local P, V, S

local LIBC = { "/lib64/ld-linux-x86-64.so.2", "/lib/x86_64-linux-gnu/libc.so.6" }
local function deps(prog, ...)
  local out = { prog }
  for _, f in ipairs(LIBC) do out[#out + 1] = f end
  for _, f in ipairs{ ... } do out[#out + 1] = f end
  return out
end

local TREE = {
  -- a merged /usr
  ["/usr/bin/ls"] = "file",
  ["/usr/bin/python3"] = { link = "python3.11" },
  ["/usr/bin/python3.11"] = "file",
  ["/usr/lib/python3.11/os.py"] = "file",
  ["/usr/bin/lua"] = { link = "/etc/alternatives/lua-interpreter" },
  ["/etc/alternatives/lua-interpreter"] = { link = "/usr/bin/lua5.4" },
  ["/usr/bin/lua5.4"] = "file",
  ["/usr/bin/bash"] = "file",
  ["/usr/bin/ruby"] = "file",
  ["/opt/py/bin/python3"] = "file",
  ["/usr/sbin/init"] = "file",
  ["/usr/lib/x86_64-linux-gnu/libc.so.6"] = "file",
  ["/usr/lib64/ld-linux-x86-64.so.2"] = "file",
  ["/bin"] = { link = "usr/bin" },
  ["/sbin"] = { link = "usr/sbin" },
  ["/lib"] = { link = "usr/lib" },
  ["/lib64"] = { link = "usr/lib64" },
  ["/opt/tool/run"] = "file",
  -- /etc with its secrets
  ["/etc/hosts"] = "file",
  ["/etc/passwd"] = "file",
  ["/etc/shadow"] = "file",
  ["/etc/shadow-"] = "file",
  ["/etc/gshadow"] = "file",
  ["/etc/sudoers"] = "file",
  ["/etc/sudoers.d/admins"] = "file",
  ["/etc/ssh/ssh_config"] = "file",
  ["/etc/ssh/ssh_host_ed25519_key"] = "file",
  ["/etc/ssh/ssh_host_ed25519_key.pub"] = "file",
  ["/etc/ssl/private/server.pem"] = "file",
  ["/etc/ssl/certs/ca.pem"] = "file",
  -- a home with a dotfiles repository, a project, and a directory that is none
  ["/home/u/.git/config"] = "file",
  ["/home/u/.config/git/config"] = "file",
  ["/home/u/proj/.git/HEAD"] = "file",
  ["/home/u/proj/.git/config"] = "file",
  ["/home/u/proj/.git/hooks/pre-commit"] = "file",
  ["/home/u/proj/.env"] = "file",
  ["/home/u/proj/.env.prod"] = "file",
  ["/home/u/proj/.envrc"] = "file",
  ["/home/u/proj/.netrc"] = "file",
  ["/home/u/proj/.vow.lua"] = "file",
  ["/home/u/proj/README"] = "file",
  ["/home/u/proj/src/deep/x.c"] = "file",
  ["/home/u/plink"] = { link = "proj/src" },
  ["/home/u/nomark/sub/f"] = "file",
  ["/home/u/hgproj/.hg/hgrc"] = "file",
  ["/home/u/hgproj/a/f"] = "file",
  ["/home/u/svnproj/.svn/entries"] = "file",
  ["/home/u/vowproj/.vow.lua"] = "file",
  ["/home/u/vowproj/a/f"] = "file",
  ["/srv/a/b/f"] = "file",
  ["/.git/HEAD"] = "file", -- the whole file system in a repository: still never "/"
  ["/p/x"] = "file",
  ["/plink"] = { link = "p" },
}

local WHICH = {
  ls = "/usr/bin/ls", python3 = "/usr/bin/python3", lua = "/usr/bin/lua", ["lua5.4"] = "/usr/bin/lua5.4",
  bash = "/usr/bin/bash", ruby = "/usr/bin/ruby",
}
local DEPS = {
  ls = deps("/usr/bin/ls", "/usr/lib/x86_64-linux-gnu/libselinux.so.1"),
  python3 = deps("/usr/bin/python3.11"),
  lua = deps("/usr/bin/lua5.4"),
  bash = deps("/usr/bin/bash"),
  ["/opt/py/bin/python3"] = deps("/opt/py/bin/python3"),
}

local function setup(opts)
  opts = opts or {}
  opts.tree = opts.tree or TREE
  opts.which = opts.which or WHICH
  opts.deps = opts.deps or DEPS
  V, S = fake.install(opts)
  P = require("policy")
end

before_each(function() setup() end)

local function has_rule(p, text)
  for _, r in ipairs(rules(p)) do if r == text then return true end end
  return false
end

-- Does any rule of P give LETTER to PATH (by a rule on it or above it)?
local function reaches(p, path, letter)
  for _, r in ipairs(p:rules()) do
    if P.beneath(path, r.path) and r.perms:find(letter, 1, true) then return r.path .. ":" .. r.perms end
  end
  return false
end

describe("P.program", function()
  it("grants exactly the files the program needs, rx", function()
    local p = P.program("ls")
    assert.same({ "/usr/bin/ls:rx", "/lib64/ld-linux-x86-64.so.2:rx", "/lib/x86_64-linux-gnu/libc.so.6:rx",
                  "/usr/lib/x86_64-linux-gnu/libselinux.so.1:rx" }, rules(p))
    assert.same({}, p:promise_list())
    assert.equal("user.lua:7", p:rules()[1].source)
  end)

  it("grants the letters given instead", function()
    assert.same({ "/usr/bin/bash:r", "/lib64/ld-linux-x86-64.so.2:r", "/lib/x86_64-linux-gnu/libc.so.6:r" },
                rules(P.program("bash", "r")))
    assert.matches("unknown permission 'q'", error_of(P.program, "bash", "q"), 1, true)
  end)

  it("is empty without a program", function()
    assert.same({}, rules(P.program(nil)))
  end)

  it("fails through vow.fail when the program cannot be found", function()
    local err = error_of(P.program, "nosuch")
    assert.equal("user.lua:7: P.program: nosuch: not found in PATH", err)
    assert.same({ "P.program: nosuch: not found in PATH" }, S.fails)
    assert.matches("^user.lua:7: P.program: expected a program name or path, got table", error_of(P.program, {}))
  end)

  it("merges into a policy", function()
    local p = P.new{ P.program("ls"), promises = "stdio rpath", paths = { "/etc/hosts" } }
    assert.is_true(has_rule(p, "/usr/bin/ls:rx"))
    assert.is_true(has_rule(p, "/etc/hosts:r"))
  end)
end)

describe("P.command", function()
  it("is P.program of vow.argv[1], or empty", function()
    setup{ argv = { "ls", "-l" } }
    assert.is_true(has_rule(P.command(), "/usr/bin/ls:rx"))
    assert.is_true(has_rule(P.command("r"), "/usr/bin/ls:r"))
    setup{ argv = {} }
    assert.same({}, rules(P.command()))
    setup{ argv = { "nosuch" } }
    assert.same({}, rules(P.command())) -- vow then says 127, not a policy error
    assert.same({}, S.fails)
  end)
end)

describe("P.interpreter", function()
  it("derives the library trees from the resolved name", function()
    local p = P.interpreter("python3")
    assert.same({
      "/usr/bin/python3.11:rx", "/lib64/ld-linux-x86-64.so.2:rx", "/lib/x86_64-linux-gnu/libc.so.6:rx",
      "/usr/lib/python3.11:r?", "/usr/lib/python3/dist-packages:r?", "/usr/local/lib/python3.11:r?",
    }, rules(p))
  end)

  it("follows a chain of links to the version", function()
    local p = P.interpreter("lua")
    assert.is_true(has_rule(p, "/usr/share/lua/5.4:r?"))
    assert.is_true(has_rule(p, "/usr/local/lib/lua/5.4:r?"))
    assert.is_true(has_rule(p, "/usr/bin/lua5.4:rx"))
  end)

  it("leaves out the versioned trees when the name has no version", function()
    setup{ which = { python3 = "/opt/py/bin/python3" }, deps = { python3 = deps("/opt/py/bin/python3") } }
    local p = P.interpreter("python3")
    assert.same({ "/opt/py/bin/python3:rx", "/lib64/ld-linux-x86-64.so.2:rx", "/lib/x86_64-linux-gnu/libc.so.6:rx",
                  "/usr/lib/python3/dist-packages:r?" }, rules(p))
  end)

  it("gives a shell only the program", function()
    assert.same({ "/usr/bin/bash:rx", "/lib64/ld-linux-x86-64.so.2:rx", "/lib/x86_64-linux-gnu/libc.so.6:rx" },
                rules(P.interpreter("bash")))
  end)

  it("refuses what it does not know or cannot find", function()
    local err = error_of(P.interpreter, "ruby")
    assert.matches("^user.lua:7: P.interpreter: ruby is not an interpreter vow knows", err)
    assert.equal("user.lua:7: P.interpreter: python9 is not in PATH", error_of(P.interpreter, "python9"))
    assert.matches("P.interpreter: expected a name", error_of(P.interpreter, nil), 1, true)
  end)
end)

describe("P.tmpdir", function()
  it("is the tmppath promise and nothing else", function()
    local p = P.tmpdir()
    assert.same({ "tmppath" }, p:promise_list())
    assert.same({}, rules(p))
  end)
end)

describe("P.carve", function()
  it("compiles the carve-out into path rules with its notes", function()
    local p = P.carve("~/proj", "rwc", { ".git/hooks", ".env" })
    assert.is_true(has_rule(p, "/home/u/proj:l"))
    assert.is_true(has_rule(p, "/home/u/proj/.git:l"))
    assert.is_true(has_rule(p, "/home/u/proj/.git/config:rwc"))
    assert.is_true(has_rule(p, "/home/u/proj/src:rwc"))
    assert.is_false(reaches(p, "/home/u/proj/.git/hooks/pre-commit", "r"))
    assert.is_false(reaches(p, "/home/u/proj/.env", "r"))
    assert.matches("carve-out: /home/u/proj:rwc except .git/hooks, .env", p.notes[1].text, 1, true)
    assert.equal("user.lua:7", p.notes[1].source)
  end)

  it("carves where the path leads", function()
    assert.same({ "/p:l" }, rules(P.carve("/plink", "r", { "x" })))
  end)

  it("fails through vow.fail on a missing path or a bad list", function()
    assert.equal("user.lua:7: P.carve: /nope does not exist", error_of(P.carve, "/nope", "r", { "x" }))
    assert.equal("user.lua:7: P.carve: a carve-out needs a list of paths to keep out",
                 error_of(P.carve, "/p", "r", {}))
    assert.matches("^user.lua:7: P.carve: \"../x\": '..' is not allowed", error_of(P.carve, "/p", "r", { "../x" }))
    assert.matches("^user.lua:7: P.carve: expected a path", error_of(P.carve, nil, "r", { "x" }))
    assert.equal(4, #S.fails)
  end)

  it("fails through vow.fail when perms are missing", function()
    local err = error_of(P.carve, "/home/u/proj", nil, { ".env" })
    assert.matches("^user.lua:7: P.carve", err)
  end)
end)

describe("P.system", function()
  it("grants /usr and /opt, one rule for the links into /usr, and /etc without its secrets", function()
    local p = P.system()
    assert.same({
      "/etc:l", "/etc/alternatives:r", "/etc/hosts:r", "/etc/passwd:r", "/etc/ssh:l", "/etc/ssh/ssh_config:r",
      "/etc/ssh/ssh_host_ed25519_key.pub:r", "/etc/ssl:l", "/etc/ssl/certs:r",
      "/usr:r", "/opt:r",
    }, rules(p))
    for _, secret in ipairs{ "/etc/shadow", "/etc/shadow-", "/etc/gshadow", "/etc/sudoers", "/etc/sudoers.d/admins",
                             "/etc/ssh/ssh_host_ed25519_key", "/etc/ssl/private/server.pem" } do
      assert.is_false(reaches(p, secret, "r"), secret)
    end
    assert.matches("carve-out: /etc:r except shadow", p.notes[1].text, 1, true)
  end)

  it("makes /etc one rule when this user can read none of its secrets", function()
    setup{ unreadable = true }
    local p = P.system()
    assert.same({ "/usr:r", "/opt:r", "/etc:r" }, rules(p))
    assert.matches("/etc in one rule: this user can read none of its secrets", p.notes[1].text, 1, true)
  end)

  it("carves /etc when one secret is readable, a glob's match included", function()
    setup{ unreadable = { ["/etc/shadow"] = true, ["/etc/shadow-"] = true, ["/etc/gshadow"] = true,
                          ["/etc/sudoers"] = true, ["/etc/sudoers.d"] = true, ["/etc/ssl/private"] = true } }
    local p = P.system() -- ssh_host_ed25519_key is readable
    assert.is_false(has_rule(p, "/etc:r"))
    assert.is_false(reaches(p, "/etc/ssh/ssh_host_ed25519_key", "r"))
  end)

  it("carves /etc for letters beyond reading, readable secrets or not", function()
    setup{ unreadable = true }
    local p = P.system("rx")
    assert.is_false(has_rule(p, "/etc:rx"))
    assert.is_false(reaches(p, "/etc/shadow", "r"))
  end)

  it("passes its letters on", function()
    local p = P.system("rx")
    assert.is_true(has_rule(p, "/usr:rx"))
    assert.is_true(has_rule(p, "/etc/passwd:rx"))
    assert.is_true(has_rule(p, "/etc:l"))
  end)

  it("grants /bin and the rest themselves where /usr is not merged", function()
    local tree = {}
    for k, v in pairs(TREE) do tree[k] = v end
    for k in pairs(TREE) do if k:find("^/opt/") then tree[k] = nil end end
    tree["/bin"], tree["/lib64"] = nil, nil
    tree["/bin/sh"] = "file"
    tree["/lib64/ld.so"] = "file"
    setup{ tree = tree }
    local p = P.system()
    assert.is_true(has_rule(p, "/bin:r"))
    assert.is_true(has_rule(p, "/lib64:r"))
    assert.is_false(has_rule(p, "/lib:r")) -- still a link into /usr
    assert.is_false(has_rule(p, "/opt:r")) -- absent
    assert.is_false(has_rule(p, "/lib32:r"))
  end)
end)

describe("P.project_root", function()
  it("is the nearest directory with a marker", function()
    setup{ cwd = "/home/u/proj/src/deep" }
    assert.equal("/home/u/proj", P.project_root())
    assert.equal("/home/u/proj", P.project_root("/home/u/proj/src"))
    assert.equal("/home/u/proj", P.project_root("/home/u/proj"))
    assert.equal("/home/u/hgproj", P.project_root("/home/u/hgproj/a"))
    assert.equal("/home/u/svnproj", P.project_root("/home/u/svnproj"))
    assert.equal("/home/u/vowproj", P.project_root("/home/u/vowproj/a"))
  end)

  it("resolves links first", function()
    assert.equal("/home/u/proj", P.project_root("/home/u/plink"))
  end)

  it("stops below the home: a dotfiles repository in it is no project", function()
    assert.equal("/home/u/nomark/sub", P.project_root("/home/u/nomark/sub"))
    setup{ cwd = "/home/u/nomark" }
    assert.equal("/home/u/nomark", P.project_root())
  end)

  it("is nil at the home, above it, or at /", function()
    for _, d in ipairs{ "/home/u", "/home", "/", "~", "/home/u/" } do
      assert.is_nil(P.project_root(d), d)
    end
    setup{ cwd = "/home/u" }
    assert.is_nil(P.project_root())
    setup{ cwd = "/" }
    assert.is_nil(P.project_root())
  end)

  it("is the directory itself where no marker is found before /", function()
    assert.equal("/srv/a/b", P.project_root("/srv/a/b")) -- /.git is never looked at
    assert.equal("/srv/a", P.project_root("/srv/a"))
  end)

  it("is nil for a directory that does not exist", function()
    assert.is_nil(P.project_root("/home/u/nothere"))
  end)

  it("does not take a sibling of the home for the home", function()
    setup{ home = "/home/u", tree = { ["/home/user2/proj/.git/HEAD"] = "file", ["/home/user2/proj/a"] = "dir",
                                      ["/home/u/x"] = "file" } }
    assert.equal("/home/user2/proj", P.project_root("/home/user2/proj/a"))
  end)
end)

describe("P.project", function()
  it("is the project read-only without its secrets", function()
    setup{ cwd = "/home/u/proj/src" }
    local p = P.project()
    assert.same({ "/home/u/proj:l", "/home/u/proj/.git:l", "/home/u/proj/.git/HEAD:r", "/home/u/proj/.vow.lua:r",
                  "/home/u/proj/README:r", "/home/u/proj/src:r" }, rules(p))
    for _, secret in ipairs{ ".env", ".env.prod", ".envrc", ".netrc", ".git/config", ".git/hooks/pre-commit" } do
      assert.is_false(reaches(p, "/home/u/proj/" .. secret, "r"), secret)
    end
    assert.is_false(reaches(p, "/home/u/proj/src/deep/x.c", "w"))
  end)

  it("is the project writable without its secrets, the policy and the hooks", function()
    setup{ cwd = "/home/u/proj/src" }
    local p = P.project{ write = true }
    assert.same({ "/home/u/proj:l", "/home/u/proj/.git:l", "/home/u/proj/.git/HEAD:rwc",
                  "/home/u/proj/README:rwc", "/home/u/proj/src:rwc" }, rules(p))
    for _, kept in ipairs{ ".vow.lua", ".git/hooks/pre-commit", ".git/config", ".env", ".env.prod", ".envrc",
                           ".netrc" } do
      assert.is_false(reaches(p, "/home/u/proj/" .. kept, "w"), kept)
      assert.is_false(reaches(p, "/home/u/proj/" .. kept, "r"), kept)
    end
    assert.equal("/home/u/proj/src:rwc", reaches(p, "/home/u/proj/src/deep/x.c", "w"))
  end)

  it("keeps .hg/hgrc from writes", function()
    local p = P.project{ dir = "/home/u/hgproj/a", write = true }
    assert.is_true(has_rule(p, "/home/u/hgproj/.hg:l"))
    assert.is_false(reaches(p, "/home/u/hgproj/.hg/hgrc", "w"))
    assert.is_true(has_rule(p, "/home/u/hgproj/a:rwc"))
  end)

  it("is empty, with a note, where there is no project", function()
    setup{ cwd = "/home/u" }
    local p = P.project{ write = true }
    assert.same({}, rules(p))
    assert.matches("no project", p.notes[1].text, 1, true)
  end)

  it("checks its options", function()
    assert.matches('P.project: unknown option wirte (did you mean "write"?)',
                   error_of(P.project, { wirte = true }), 1, true)
    assert.matches("^user.lua:7: P.project: expected a table", error_of(P.project, "write"))
  end)

  it("takes other paths to keep out", function()
    local p = P.project{ dir = "/home/u/proj", except = { "README" } }
    assert.is_false(reaches(p, "/home/u/proj/README", "r"))
  end)

  it("keeps the secrets out when other paths are kept out too", function()
    local p = P.project{ dir = "/home/u/proj", write = true, except = { "README" } }
    assert.is_false(reaches(p, "/home/u/proj/README", "r"))
    assert.is_false(reaches(p, "/home/u/proj/.env", "r"))
    assert.is_false(reaches(p, "/home/u/proj/.vow.lua", "w"))
    assert.is_false(reaches(p, "/home/u/proj/.git/hooks/pre-commit", "w"))
  end)
end)

describe("P.user_config", function()
  it("grants the program's configuration, read-only, where it exists", function()
    local p = P.user_config("git")
    assert.same({ "/home/u/.config/git:r?", "/home/u/.gitrc:r?", "/home/u/.gitconfig:r?" }, rules(p))
  end)

  it("grants the letters given instead", function()
    assert.same({ "/home/u/.config/vim:rwc?", "/home/u/.vimrc:rwc?", "/home/u/.vimconfig:rwc?" },
                rules(P.user_config("vim", "rwc")))
  end)

  it("refuses what is not a program name", function()
    for _, bad in ipairs{ "", "a/b", ".vim", "../x", 5 } do
      assert.matches("^user.lua:7: P.user_config: expected a program name", error_of(P.user_config, bad))
    end
  end)
end)
