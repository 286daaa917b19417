print(greet("files"))
