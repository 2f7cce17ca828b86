-- python: python3 running a script of the project.
--
--   * python3, its loader and libraries executable; its standard library
--     and dist-packages read-only;
--   * the system trees and the project tree read-only (without secrets);
--   * a private $TMPDIR, writable; nothing else written;
--   * no network, no subprocesses, no other program run.
local P = require "policy"
return P.new{
  promises = "stdio rpath",
  P.tmpdir(),
  P.system(),
  P.interpreter("python3"),
  P.project(),
  P.command(),
  limits = { nofile = 4096, memory = "4G" },
}
