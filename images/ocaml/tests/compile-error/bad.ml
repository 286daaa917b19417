let () = print_endline undefined_name
