-- greedy: an honest mod.  Every tick it walks towards the nearest coin.
-- It uses a module of its own (geometry.lua, beside it).
local geo = require "geometry"
io.stdout:setvbuf("line")

local hello = io.read("l")
local name = hello:match("^hello (%S+)")
print("ready")

local moves = 0
while true do
  local line = io.read("l")
  if not line or line:match("^over") then break end
  local state = io.read("l")          -- "state X Y SCORE CX,CY ..."
  local x, y, rest = state:match("^state (%d+) (%d+) %d+(.*)$")
  x, y = tonumber(x), tonumber(y)
  local best, bx, by
  for cx, cy in rest:gmatch("(%d+),(%d+)") do
    cx, cy = tonumber(cx), tonumber(cy)
    local d = geo.distance(x, y, cx, cy)
    if not best or d < best then best, bx, by = d, cx, cy end
  end
  print("move " .. (bx and geo.step(x, y, bx, by) or "stay"))
  moves = moves + 1
end
print(("say %s: %d moves, good game"):format(name, moves))
