#lang racket/base
(eprintf "to stderr\n")
(displayln "to stdout")
