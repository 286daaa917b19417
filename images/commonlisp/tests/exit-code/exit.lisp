(write-line "exiting with 3")
(finish-output)
(sb-ext:exit :code 3)
