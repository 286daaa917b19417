// Copies standard input to standard output byte for byte.
use std::io::{self, Write};

fn main() -> io::Result<()> {
    let stdin = io::stdin();
    let stdout = io::stdout();
    let mut out = stdout.lock();
    io::copy(&mut stdin.lock(), &mut out)?;
    out.flush()
}
