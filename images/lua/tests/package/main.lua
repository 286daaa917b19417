local text = require("words.text")

print(text.phrase())
