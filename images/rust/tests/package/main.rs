mod words;

fn main() {
    println!("{}", words::text::phrase());
}
