module Text = struct
  let phrase () = "from a package"
end
