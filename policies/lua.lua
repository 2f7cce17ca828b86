-- lua: lua5.4 running a script of the project.
--
--   * lua5.4 and what it needs to start executable; its module trees
--     read-only (/usr/share/lua/5.4 and the like);
--   * the system trees and the project tree read-only (without secrets);
--   * a private $TMPDIR, writable; nothing else written;
--   * no network, no subprocesses, no other program run.
local P = require "policy"
return P.new{
  promises = "stdio rpath",
  P.tmpdir(),
  P.system(),
  P.interpreter("lua5.4"),
  P.project(),
  P.command(),
  limits = { nofile = 1024 },
}
