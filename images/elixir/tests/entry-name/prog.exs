IO.puts("entry name works")
