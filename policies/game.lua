-- game: an untrusted mod, a Lua script run by `vow lua` or a Lua
-- interpreter, talking to its host over stdin and stdout.
--
--   * compute, and read the mod's own directory (that of the first
--     argument ending in .lua); nothing else read, nothing written;
--   * no network, no processes, no other program run;
--   * 256 MiB of memory, 10 s of CPU, 64 open files.
local P = require "policy"
local mod
for _, a in ipairs(vow.argv) do
  if a:match("%.lua$") then mod = a; break end
end
local dir = mod and (mod:match("^(.*)/[^/]*$") or ".")
return P.new{
  promises = "stdio rpath",
  -- none of the host's environment (tokens, keys): the locale only
  env = { clear = true, keep = "LANG LC_ALL TZ" },
  P.command(),
  paths = dir and { [dir] = "r" } or {},
  limits = { memory = "256M", cpu = 10, nofile = 64 },
}
