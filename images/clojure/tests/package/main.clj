(ns main
  (:require [app.words :as words]))

(println (words/phrase))
