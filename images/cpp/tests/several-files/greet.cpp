#include "greet.hpp"

namespace greeting {
std::string greet(const std::string &name) { return "Hello, " + name + "!"; }
}
