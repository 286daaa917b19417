cat("entry name works\n")
