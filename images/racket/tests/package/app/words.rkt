#lang racket/base
(provide phrase)
(define (phrase) "from a package")
