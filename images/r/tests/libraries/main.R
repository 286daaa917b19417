suppressPackageStartupMessages(library(Matrix))
m <- Matrix(c(1, 0, 0, 1), 2, 2, sparse = TRUE)
cat(sum(diag(m)), "\n", sep = "")
