fn main() {
    eprintln!("to stderr");
    println!("to stdout");
}
