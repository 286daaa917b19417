println "exiting with 3"
System.exit(3)
