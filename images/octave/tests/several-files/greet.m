function text = greet(name)
  text = ["Hello, " name "!"];
end
