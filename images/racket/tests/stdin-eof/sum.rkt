#lang racket/base
(let loop ([total 0])
  (define x (read))
  (if (eof-object? x)
      (displayln total)
      (loop (+ total x))))
