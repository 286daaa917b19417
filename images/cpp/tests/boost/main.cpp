#include <boost/multiprecision/cpp_int.hpp>
#include <iostream>

int main() {
    boost::multiprecision::cpp_int f = 1;
    for (int i = 2; i <= 100; ++i) f *= i;
    std::cout << "100! has " << f.str().size() << " digits\n";
}
