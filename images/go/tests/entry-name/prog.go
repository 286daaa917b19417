package main

import "fmt"

func main() {
	fmt.Println("entry name works")
}
