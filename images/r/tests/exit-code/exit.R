cat("exiting with 3\n")
quit(status = 3)
