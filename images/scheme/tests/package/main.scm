(use-modules (app words))

(display (phrase))
(newline)
