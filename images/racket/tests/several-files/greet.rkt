#lang racket/base
(provide greet)
(define (greet name) (string-append "Hello, " name "!"))
