#pragma once
#include <string>

namespace greeting {
std::string greet(const std::string &name);
}
