package words

// Phrase is exported from the package.
func Phrase() string {
	return "from a package"
}
