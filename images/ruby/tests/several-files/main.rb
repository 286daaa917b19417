require_relative "greet"

puts greet("files")
