def total = System.in.text.split(/\s+/).findAll { it }.collect { it as long }.sum(0L)
println total
