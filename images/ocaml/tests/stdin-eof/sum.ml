let () =
  let total = ref 0 in
  (try
     while true do
       Scanf.scanf " %d" (fun x -> total := !total + x)
     done
   with End_of_file | Scanf.Scan_failure _ -> ());
  Printf.printf "%d\n" !total
