#include <iostream>

int main() {
    std::cout << undefined_name << "\n";
}
