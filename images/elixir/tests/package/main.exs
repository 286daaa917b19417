Code.require_file("lib/app/words.ex", __DIR__)

IO.puts(App.Words.phrase())
