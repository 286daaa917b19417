#include <iostream>

int main() {
    std::cerr << "to stderr\n";
    std::cout << "to stdout\n";
}
