(println "entry name works")
