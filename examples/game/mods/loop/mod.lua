-- loop: plays four ticks, then spins forever in a Lua loop; the VM
-- instruction budget (--steps) ends it.
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

turns(5, function()
  local n = 0
  while true do n = n + 1 end
end)
