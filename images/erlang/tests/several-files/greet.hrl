greet(Name) -> "Hello, " ++ Name ++ "!".
