require "./app/words"

puts App::Words.phrase
