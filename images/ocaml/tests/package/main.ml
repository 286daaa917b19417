module W = Words.Text

let () = print_endline (W.phrase ())
