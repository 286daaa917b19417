println Greeter.greet("files")
