IO.puts("never printed"
