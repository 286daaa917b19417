#lang racket/base
(displayln "exiting with 3")
(exit 3)
