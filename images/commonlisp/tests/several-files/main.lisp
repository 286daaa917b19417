(load "greet.lisp")

(write-line (greet "files"))
