-- sweeper: an honest mod.  It sweeps the board row by row, and steps
-- aside for a coin that is within its reach.  It reads its reach from
-- settings.txt, a file in its own directory.
io.stdout:setvbuf("line")
local dir = arg[0]:match("^(.*)/") or "."
local reach = 1
for line in io.lines(dir .. "/settings.txt") do
  reach = tonumber(line:match("^reach (%d+)")) or reach
end

local W = tonumber(io.read("l"):match("^hello %S+ (%d+)"))
print("ready")
print("say reach " .. reach .. " (from settings.txt)")

local dx, dy = 1, 1
while true do
  local line = io.read("l")
  if not line or line:match("^over") then break end
  local x, y, rest = io.read("l"):match("^state (%d+) (%d+) %d+(.*)$")
  x, y = tonumber(x), tonumber(y)
  local move
  for cx, cy in rest:gmatch("(%d+),(%d+)") do
    cx, cy = tonumber(cx), tonumber(cy)
    if math.abs(cx - x) + math.abs(cy - y) <= reach then
      move = cx > x and "E" or cx < x and "W" or cy > y and "S" or cy < y and "N" or nil
      if move then break end
    end
  end
  if not move then
    if x + dx < 0 or x + dx >= W then
      dx = -dx
      if y + dy < 0 or y + dy >= W then dy = -dy end
      move = dy > 0 and "S" or "N"
    else move = dx > 0 and "E" or "W" end
  end
  print("move " .. move)
end
