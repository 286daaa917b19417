let () = print_endline "entry name works"
