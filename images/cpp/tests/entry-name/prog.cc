#include <iostream>

int main() {
    std::cout << "entry name works\n";
}
