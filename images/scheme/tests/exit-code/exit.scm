(display "exiting with 3")
(newline)
(exit 3)
