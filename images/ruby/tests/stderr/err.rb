warn "to stderr"
puts "to stdout"
