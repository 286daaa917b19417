import std/strutils

var total = 0
for word in stdin.readAll().splitWhitespace():
  total += parseInt(word)
echo total
