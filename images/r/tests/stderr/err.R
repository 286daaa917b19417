message("to stderr")
cat("to stdout\n")
