IO.puts(:stderr, "to stderr")
IO.puts("to stdout")
