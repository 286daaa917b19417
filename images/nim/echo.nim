var buf: array[65536, char]
while true:
  let n = stdin.readBuffer(buf[0].addr, buf.len)
  if n <= 0:
    break
  discard stdout.writeBuffer(buf[0].addr, n)
flushFile(stdout)
