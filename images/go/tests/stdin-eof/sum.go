package main

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
)

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Split(bufio.ScanWords)
	total := 0
	for in.Scan() {
		n, _ := strconv.Atoi(in.Text())
		total += n
	}
	fmt.Println(total)
}
