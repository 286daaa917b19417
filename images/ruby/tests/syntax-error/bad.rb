def broken(
  puts "never printed"
