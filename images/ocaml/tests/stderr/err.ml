let () =
  prerr_endline "to stderr";
  print_endline "to stdout"
