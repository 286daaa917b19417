def greet(name : String) : String
  "Hello, #{name}!"
end
