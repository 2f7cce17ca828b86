-- build: make and a C compiler building in the project tree.
--
--   * the project tree writable (rwc) and executable (what the build
--     makes can run: make check, configure's test programs), except .vow.lua, .git/hooks,
--     .git/config, .env files and .netrc, which the build can neither
--     change nor read.  Landlock cannot keep paths out of a writable
--     directory, so the project's top directory itself is list-only:
--     build into subdirectories (build/, out/, src/); `vow show` explains;
--   * the system trees readable and executable (compilers, make, sh and
--     the tools they run), a private $TMPDIR for the compiler's files;
--   * promises to read, write, create files, set their modes, run
--     programs and start processes; no network;
--   * 8192 open files each, files up to 4G; no process cap (see sh.lua:
--     add -P N to bound a runaway build).
local P = require "policy"
return P.new{
  promises = "stdio rpath wpath cpath fattr flock proc exec",
  P.tmpdir(),
  P.system("rx"),
  P.project{ write = true, exec = true },
  P.command(),
  limits = { nofile = 8192, fsize = "4G" },
}
