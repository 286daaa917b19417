(load-file "greet.clj")

(println (greet "files"))
