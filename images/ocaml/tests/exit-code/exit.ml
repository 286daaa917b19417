let () =
  print_endline "exiting with 3";
  exit 3
