(load "greet.scm")

(display (greet "files"))
(newline)
