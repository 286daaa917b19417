#lang racket/base
(require "app/words.rkt")
(displayln (phrase))
