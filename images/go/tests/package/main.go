package main

import (
	"fmt"

	"example.com/app/words"
)

func main() {
	fmt.Println(words.Phrase())
}
