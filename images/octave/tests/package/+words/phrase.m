function text = phrase()
  text = "from a package";
end
