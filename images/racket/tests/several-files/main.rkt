#lang racket/base
(require "greet.rkt")
(displayln (greet "files"))
