-- node: Node.js running a script of the project.
--
--   * node and what it needs to start executable; its module trees read-only;
--   * threads (libuv's pool, V8's helpers) and executable memory (V8's JIT);
--   * the system trees and the project tree read-only (without secrets),
--     CPU and memory statistics (os.cpus(), os.totalmem());
--   * a private $TMPDIR, writable; nothing else written;
--   * no network, no subprocesses, no other program run.
local P = require "policy"
return P.new{
  promises = "stdio rpath thread prot_exec vminfo",
  P.tmpdir(),
  P.system(),
  P.interpreter("node"),
  P.project(),
  P.command(),
  limits = { nofile = 4096 },
}
