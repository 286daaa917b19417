(load "words.lisp")

(write-line (words:phrase))
