(display "entry name works")
(newline)
