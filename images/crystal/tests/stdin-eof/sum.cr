puts STDIN.gets_to_end.split.sum(0_i64, &.to_i64)
