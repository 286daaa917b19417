input <- file("stdin", "rb")
output <- file("/dev/stdout", "wb")
repeat {
  chunk <- readBin(input, "raw", 65536)
  if (length(chunk) == 0) break
  writeBin(chunk, output)
}
close(output)
