(println "never printed"
