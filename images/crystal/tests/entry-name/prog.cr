puts "entry name works"
