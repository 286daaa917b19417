defmodule App.Words do
  def phrase, do: "from a package"
end
