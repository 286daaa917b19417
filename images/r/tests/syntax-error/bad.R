cat("never printed"
