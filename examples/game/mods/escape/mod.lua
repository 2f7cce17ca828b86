-- escape: tries to get out of its sandbox before it plays, and says what
-- happened to each try.  None of them works; it plays on, contained.
io.stdout:setvbuf("line")
io.read("l")                            -- hello NAME W H TICKS

local function say(what, result) print(("say %-32s -> %s"):format(what, result)) end

-- a call's outcome in words: the value, or the error it raised
local function try(fn, ...)
  local ok, a, b = pcall(fn, ...)
  if not ok then return "error: " .. tostring(a):gsub("^[^:]*:%d+: ", "") end
  if a == nil then return "refused: " .. tostring(b) end
  return "WORKED: " .. tostring(a)
end

-- a function the sandbox might have left out
local function present(name, f) return f and name .. " is there" or name .. " is nil" end

say("run a shell command", present("os.execute", os.execute))
say("run a program, read its output", present("io.popen", io.popen))
say("delete a file", present("os.remove", os.remove))
say("read the server's secret", try(io.open, "../../secret.txt"))
say("read /etc/passwd", try(io.open, "/etc/passwd"))
say("steal another mod's code", try(io.open, "../greedy/mod.lua"))
say("overwrite another mod", try(io.open, "../greedy/mod.lua", "w"))
say("write a file of its own", try(io.open, "cheat.txt", "w"))
say("require another mod's module", try(require, "..greedy.geometry"))
say("load a binary chunk", try(load, "\27Lua\84\0"))
say("a token from the environment", tostring(os.getenv("HOME")) .. " (HOME), "
  .. tostring(os.getenv("PATH")) .. " (PATH)")
print("ready")

-- then it plays fairly, towards the first coin
while true do
  local line = io.read("l")
  if not line or line:match("^over") then break end
  local x, y, cx, cy = io.read("l"):match("^state (%d+) (%d+) %d+ (%d+),(%d+)")
  x, y, cx, cy = tonumber(x), tonumber(y), tonumber(cx), tonumber(cy)
  print("move " .. (cx > x and "E" or cx < x and "W" or cy > y and "S" or cy < y and "N" or "stay"))
end
