(define-module (app words)
  #:export (phrase))

(define (phrase) "from a package")
