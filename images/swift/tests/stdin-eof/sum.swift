var total = 0
while let line = readLine() {
    for word in line.split(separator: " ") {
        total += Int(word)!
    }
}
print(total)
