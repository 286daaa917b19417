require "./greet"

puts greet("files")
