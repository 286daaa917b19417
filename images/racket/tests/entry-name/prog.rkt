#lang racket/base
(displayln "entry name works")
