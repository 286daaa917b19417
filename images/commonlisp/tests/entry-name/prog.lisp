(write-line "entry name works")
