-- crash: plays two ticks, then at the third makes a mistake: a Lua error ends it.
io.stdout:setvbuf("line")
io.read("l")                            -- hello NAME W H TICKS
print("ready")

-- plays fairly (towards the first coin) until tick ATTACK_AT, then attacks
local function turns(attack_at, attack)
  while true do
    local line = io.read("l")
    if not line or line:match("^over") then return end
    local t = tonumber(line:match("^tick (%d+)"))
    local x, y, cx, cy = io.read("l"):match("^state (%d+) (%d+) %d+ (%d+),(%d+)")
    x, y, cx, cy = tonumber(x), tonumber(y), tonumber(cx), tonumber(cy)
    if t == attack_at then attack() end
    print("move " .. (cx > x and "E" or cx < x and "W" or cy > y and "S" or cy < y and "N" or "stay"))
  end
end

turns(3, function()
  local enemies = nil
  print("move " .. enemies[1].x)        -- attempt to index a nil value
end)
