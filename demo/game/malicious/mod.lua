-- malicious: a game mod you downloaded, that does nothing for the game and
-- everything against you (demo/run, part 2, runs it under `vow lua`).
--
--   vow lua mod.lua ATTACK SECRET SAVE HONEST
--
-- ATTACK "escape" runs the attacks that leave it alive, one line each,
-- ATTACK NAME RESULT [DETAIL] (RESULT "ok" means it worked, "absent" that
-- the function is not there, else the errno's name); "loop" and "memory"
-- are the ones that do not return: vow lua has to end the script.
-- SECRET is a file of the player's (readable by the player, outside the
-- sandbox), SAVE the player's saved game, HONEST the other mod's script.
local attack, secret, save, honest = ...
local errno = { [1] = "EPERM", [2] = "ENOENT", [13] = "EACCES", [30] = "EROFS" }

local function report(name, result, detail)
  print(("ATTACK %s %s %s"):format(name, result, detail or ""))
  io.stdout:flush()
end

-- io.open PATH with MODE: read its first line, or wipe it
local function open(name, path, mode)
  local f, msg, code = io.open(path, mode)
  if not f then return report(name, errno[code] or ("errno:" .. tostring(code)), msg) end
  if mode == "w" then
    f:write("wiped by a mod\n")
    f:close()
    report(name, "ok", "wiped " .. path)
  else
    report(name, "ok", f:read("l"))
    f:close()
  end
end

if attack == "escape" then
  -- run a command: leave a file beside the save to prove it
  if os.execute then
    report("os-execute", "ok", tostring(os.execute("echo pwned > '" .. save .. ".pwned'")))
  else
    report("os-execute", "absent")
  end
  if io.popen then
    local p = io.popen("id")
    report("io-popen", "ok", p and p:read("l"))
  else
    report("io-popen", "absent")
  end
  open("read-secret", secret, "r")
  if os.remove then
    report("os-remove", os.remove(save) and "ok" or "failed")
  else
    report("os-remove", "absent")
  end
  open("wipe-save", save, "w")
  open("wipe-honest", honest, "w")
elseif attack == "loop" then
  report("loop", "started")
  local n = 0
  while true do n = n + 1 end
elseif attack == "memory" then
  report("memory", "started")
  local hoard = {}
  for i = 1, math.huge do hoard[i] = ("x"):rep(1 << 16) .. i end -- 64 KiB more each time, all kept
end
