(write-line "never printed"
