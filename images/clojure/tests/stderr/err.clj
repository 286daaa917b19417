(binding [*out* *err*]
  (println "to stderr"))
(println "to stdout")
