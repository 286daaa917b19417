# R's stdout() is a text connection; a binary one is a pipe to cat, which
# inherits the program's standard output.
input <- file("stdin", "rb")
output <- pipe("cat", "wb")
repeat {
  chunk <- readBin(input, "raw", 65536)
  if (length(chunk) == 0) break
  writeBin(chunk, output)
}
close(output)
