#if canImport(Glibc)
import Glibc
#endif

var buffer = [UInt8](repeating: 0, count: 65536)
while true {
    let n = read(0, &buffer, buffer.count)
    if n <= 0 { break }
    var done = 0
    while done < n {
        let written = buffer.withUnsafeBytes { write(1, $0.baseAddress! + done, n - done) }
        if written <= 0 { exit(1) }
        done += written
    }
}
