#lang racket/base
(displayln undefined-name)
