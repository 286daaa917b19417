fn main() {
    println!("entry name works");
}
