Code.require_file("greet.ex", __DIR__)

IO.puts(Greet.greet("files"))
