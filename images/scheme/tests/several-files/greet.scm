(define (greet name)
  (string-append "Hello, " name "!"))
