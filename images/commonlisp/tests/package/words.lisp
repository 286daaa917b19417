(defpackage :words
  (:use :common-lisp)
  (:export #:phrase))

(in-package :words)

(defun phrase ()
  "from a package")
