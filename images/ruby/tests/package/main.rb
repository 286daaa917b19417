require_relative "lib/words"

puts Words::Text.phrase
