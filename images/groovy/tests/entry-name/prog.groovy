println "entry name works"
