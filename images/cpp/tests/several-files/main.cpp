#include <iostream>
#include "greet.hpp"

int main() {
    std::cout << greeting::greet("files") << "\n";
}
