from greeting import greet

print(greet("files"))
