pub fn phrase() -> &'static str {
    "from a package"
}
