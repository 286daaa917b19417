STDERR.puts "to stderr"
puts "to stdout"
