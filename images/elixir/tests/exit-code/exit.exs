IO.puts("exiting with 3")
System.halt(3)
