-- script: the default for `vow lua SCRIPT`: compute, and read the
-- script's own directory (its modules, its data); nothing else.
--
--   * promise stdio (and rpath, kept to the directory by Landlock): no
--     writing, no network, no processes, no other program;
--   * the standard streams stay open: a script talks over stdin/stdout.
-- The limits are the command line's (-M caps the Lua allocator, -C and
-- -T end the script with a message, --steps counts VM instructions).
local P = require "policy"
local script = vow.argv[1]
local dir = script and (script:match("^(.*)/[^/]*$") or ".")
if dir == "" then dir = "/" end
return P.new{
  promises = "stdio rpath",
  -- none of the host's environment (tokens, keys): the locale only
  env = { clear = true, keep = "LANG LC_ALL TZ" },
  -- optional: a missing script is vow's 127, not a policy error
  paths = dir and { { dir, "r", optional = true } } or {},
}
