source("greet.R")

cat(greet("files"), "\n", sep = "")
