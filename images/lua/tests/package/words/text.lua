return {
  phrase = function()
    return "from a package"
  end,
}
