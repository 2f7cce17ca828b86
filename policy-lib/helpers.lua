-- helpers: policies for common needs, as values to merge into P.new{...}.
--
-- Reached through require "policy" (P.program, P.project ...).  Each
-- returns a policy value; its rules name the line of the policy that
-- called the helper.  Paths are looked at now, at config time.
local carve = require("carve")

return function(P)
  local fail = P.fail

  -- A value from fields, with the rules naming the user's line.
  local function make(fields)
    return P.new(fields)
  end

  --- P.program(name_or_path [, perms]): the program and every file it
  -- needs to start (vow.exec_deps: its ELF interpreter, its libraries, its
  -- #! interpreters), with PERMS (default "rx") on exactly those files.
  -- A name is looked up in the payload's PATH.  nil gives an empty policy
  -- (no command given, as in `vow show`).
  -- Rules giving PERMS (default "rx") on exactly the files FILES.
  local function exactly(files, perms)
    local paths = {}
    for _, f in ipairs(files) do paths[#paths + 1] = { f, perms or "rx" } end
    return make{ paths = paths }
  end

  function P.program(name, perms)
    if name == nil then return make{} end
    if type(name) ~= "string" then fail("P.program: expected a program name or path, got %s", type(name)) end
    local deps, err = vow.exec_deps(name)
    if not deps then fail("P.program: %s", err) end
    return exactly(deps, perms)
  end

  --- P.command([perms]): P.program of the command being run (vow.argv[1]);
  -- when its dependencies cannot be read (a #! interpreter that does not
  -- exist, say) the command file alone, and nothing when there is no
  -- command (vow show) or it is not found: vow then refuses it with 127
  -- or 126 as usual, not with a policy error.
  function P.command(perms)
    local name = vow.argv[1]
    if name == nil then return make{} end
    local deps = vow.exec_deps(name)
    if not deps then
      local path = vow.which(name)
      deps = path and vow.realpath(path) and { vow.realpath(path) } or {}
    end
    return exactly(deps, perms)
  end

  -- Where each interpreter keeps its library; %V is its version as its
  -- resolved file name spells it (python3.11 -> 3.11, lua5.4 -> 5.4).
  P.library_trees = {
    python = { "/usr/lib/python%V", "/usr/lib/python3/dist-packages", "/usr/local/lib/python%V" },
    lua = { "/usr/share/lua/%V", "/usr/lib/x86_64-linux-gnu/lua/%V", "/usr/local/share/lua/%V",
            "/usr/local/lib/lua/%V" },
    node = { "/usr/lib/node_modules", "/usr/share/nodejs", "/usr/lib/nodejs", "/usr/local/lib/node_modules",
             "/usr/include/node" },
    perl = { "/usr/share/perl", "/usr/lib/x86_64-linux-gnu/perl", "/usr/share/perl5",
             "/usr/lib/x86_64-linux-gnu/perl5", "/usr/lib/x86_64-linux-gnu/perl-base", "/etc/perl" },
    sh = {},
  }

  local function family(base)
    for _, f in ipairs{ "python", "lua", "node", "perl" } do
      if base:find("^" .. f) then return f end
    end
    if base == "nodejs" then return "node" end
    if base == "sh" or base == "bash" or base == "dash" then return "sh" end
  end

  --- P.interpreter(name): the interpreter as P.program, plus its library
  -- trees read-only (those that exist): python3, lua5.4, node, perl, sh.
  function P.interpreter(name)
    if type(name) ~= "string" then fail("P.interpreter: expected a name such as \"python3\", got %s", type(name)) end
    local path = vow.which(name)
    if not path then fail("P.interpreter: %s is not in PATH", name) end
    local real = vow.realpath(path) or path
    local base = real:match("[^/]+$")
    local fam = family(base)
    if not fam then
      fail("P.interpreter: %s is not an interpreter vow knows (%s); use P.program and paths", name,
           "python3, lua5.4, node, perl, sh")
    end
    local version = base:match("(%d+%.%d+)$") or ""
    local paths = {}
    for _, t in ipairs(P.library_trees[fam]) do
      if version ~= "" or not t:find("%", 1, true) then
        paths[#paths + 1] = { (t:gsub("%%V", version)), "r", optional = true }
      end
    end
    return make{ P.program(name), paths = paths }
  end

  --- P.tmpdir(): a private temporary directory for this run: vow makes
  -- it, points TMPDIR at it, grants it rwc and removes it afterwards (the
  -- tmppath promise).
  function P.tmpdir()
    return make{ promises = "tmppath" }
  end

  --- P.carve(path, perms, except): PATH with PERMS except the paths in
  -- EXCEPT (relative to PATH; a component may hold *).  See carve.lua for
  -- what Landlock lets it cover; `vow show` prints the explanation.
  function P.carve(path, perms, except)
    if type(path) ~= "string" then fail("P.carve: expected a path, got %s", type(path)) end
    if type(perms) ~= "string" then fail("P.carve: expected permissions such as \"rwc\", got %s", type(perms)) end
    local real = vow.realpath(P.norm(path))
    if not real then fail("P.carve: %s does not exist", path) end
    local rules, notes = carve.compile({ list = vow.list, realpath = vow.realpath }, real, perms, except)
    if not rules then fail("P.carve: %s", notes) end
    local paths = {}
    for _, r in ipairs(rules) do paths[#paths + 1] = { r.path, r.perms } end
    return make{ paths = paths, notes = notes }
  end

  -- The files no policy should hand to a payload, per tree.
  P.secrets = {
    ["/etc"] = { "shadow", "shadow-", "gshadow", "gshadow-", "sudoers", "sudoers.d", "ssh/ssh_host_*_key",
                 "ssl/private", "security/opasswd", "credstore", "credstore.encrypted" },
    project = { ".env", ".env.*", ".envrc", ".netrc", ".git/config", ".git/hooks" },
    -- also kept from writes: the policy itself, and VCS hooks
    project_write = { ".vow.lua", ".git/hooks", ".git/config", ".hg/hgrc", ".env", ".env.*", ".envrc",
                      ".netrc" },
  }

  -- Could this user read any of ROOT's secrets (LIST, as P.secrets holds
  -- them: a component may hold *) by the file permissions alone?
  local function secrets_readable(root, list)
    for _, s in ipairs(list) do
      local dir, name = (root .. "/" .. s):match("^(.*)/([^/]+)$")
      if not name:find("*", 1, true) then
        if vow.readable(dir .. "/" .. name) then return true end
      else
        local match = carve.matcher(name)
        for _, e in ipairs(vow.list(dir) or {}) do
          if match(e.name) and vow.readable(dir .. "/" .. e.name) then return true end
        end
      end
    end
    return false
  end

  --- P.system(perms): the system trees read-only (PERMS, default "r"):
  -- /usr, the /lib /bin /sbin links into it, /opt, and /etc without its
  -- secrets (P.secrets["/etc"]: password hashes, sudo rules, host keys,
  -- private TLS keys).  For a user who can read none of those secrets
  -- (their file permissions keep them from all but root, and the payload
  -- keeps no capability), /etc is one rule: the carve-out would make a
  -- rule for every entry of /etc on every run, for nothing.
  function P.system(perms)
    perms = perms or "r"
    local paths = {}
    for _, d in ipairs{ "/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/opt" } do
      local real = vow.realpath(d)
      -- on a merged /usr, /bin and the rest lead into /usr: one rule holds them
      if real and (d == "/usr" or not P.beneath(real, "/usr")) then
        paths[#paths + 1] = { d, perms }
      end
    end
    if perms:match("^[rl]+$") and not secrets_readable("/etc", P.secrets["/etc"]) then
      paths[#paths + 1] = { "/etc", perms }
      return make{ paths = paths, notes = { "/etc in one rule: this user can read none of its secrets (" ..
                                            table.concat(P.secrets["/etc"], ", ") .. ")" } }
    end
    return make{ paths = paths, P.carve("/etc", perms, P.secrets["/etc"]) }
  end

  local MARKERS = { ".vow.lua", ".git", ".hg", ".svn" }

  --- P.project_root([dir]): the nearest directory at or above DIR (the
  -- working directory) holding .vow.lua, .git, .hg or .svn; else DIR.
  -- Never the home directory, / or a directory above the home: nil then.
  function P.project_root(dir)
    local start = vow.realpath(dir or vow.cwd())
    if not start then return nil end
    local home = vow.realpath(vow.home()) or vow.home()
    local function too_wide(d) return d == "/" or P.beneath(home, d) end
    local d = start
    while true do
      if too_wide(d) then break end
      for _, m in ipairs(MARKERS) do
        if vow.exists(d .. "/" .. m) then return d end
      end
      d = d:match("^(.*)/[^/]+$")
      if d == "" then d = "/" end
    end
    if too_wide(start) then return nil end
    return start
  end

  --- P.project{write = false, exec = false, dir = cwd, except = {...}}:
  -- the project tree (P.project_root), read-only ("r") or writable ("rwc"
  -- with write = true), its files executable with exec = true, always without the secrets (P.secrets.project) and, when
  -- writable, without the policy file and VCS hooks either
  -- (P.secrets.project_write); EXCEPT adds paths to keep out.  A carve-out.
  -- Empty, with a note, when there is no project (the working directory
  -- is the home directory or above it).
  function P.project(opts)
    opts = opts or {}
    if type(opts) ~= "table" then fail("P.project: expected a table such as {write = true}, got %s", type(opts)) end
    for k in pairs(opts) do
      if k ~= "write" and k ~= "exec" and k ~= "dir" and k ~= "except" then
        fail("P.project: unknown option %s%s (write, exec, dir, except)", tostring(k),
             type(k) == "string" and P.suggest(k, { "write", "exec", "dir", "except" }) or "")
      end
    end
    local root = P.project_root(opts.dir)
    if not root then
      return make{ notes = { "no project: the working directory is the home directory or above it, " ..
                             "so no project tree is unveiled" } }
    end
    local perms = (opts.write and "rwc" or "r") .. (opts.exec and "x" or "")
    local except = {}
    for _, e in ipairs(opts.write and P.secrets.project_write or P.secrets.project) do except[#except + 1] = e end
    if opts.except ~= nil then
      if type(opts.except) ~= "table" then fail("P.project: except is a list of paths, got %s", type(opts.except)) end
      for _, e in ipairs(opts.except) do except[#except + 1] = e end
    end
    return P.carve(root, perms, except)
  end

  --- P.user_config(name [, perms]): the user's configuration of one
  -- program, read-only unless PERMS says more: ~/.config/NAME, ~/.NAMErc
  -- and ~/.NAMEconfig, those that exist.
  function P.user_config(name, perms)
    if type(name) ~= "string" or name == "" or name:find("/") or name:find("^%.") then
      fail("P.user_config: expected a program name such as \"git\", got %s", tostring(name))
    end
    local paths = {}
    for _, p in ipairs{ "~/.config/" .. name, "~/." .. name .. "rc", "~/." .. name .. "config" } do
      paths[#paths + 1] = { p, perms or "r", optional = true }
    end
    return make{ paths = paths }
  end
end
