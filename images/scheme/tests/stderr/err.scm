(display "to stderr" (current-error-port))
(newline (current-error-port))
(display "to stdout")
(newline)
