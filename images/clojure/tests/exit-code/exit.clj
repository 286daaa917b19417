(println "exiting with 3")
(flush)
(System/exit 3)
