package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Fprintln(os.Stderr, "to stderr")
	fmt.Println("to stdout")
}
