defmodule Greet do
  def greet(name), do: "Hello, #{name}!"
end
