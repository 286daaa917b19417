local greet = require("greet")

print(greet.greet("files"))
