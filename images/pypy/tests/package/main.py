from shapes.words import phrase

print(phrase())
