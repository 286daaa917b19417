-- Copies standard input to standard output byte for byte.
while true do
  local chunk = io.read(65536)
  if not chunk then break end
  io.write(chunk)
end
