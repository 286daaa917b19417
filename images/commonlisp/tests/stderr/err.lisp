(write-line "to stderr" *error-output*)
(write-line "to stdout")
