// tid.cpp - printing task ids.
#include "tid.h"

#include <cstdio>

namespace pvm {

std::string formatTid(int tid) {
    char text[16];
    std::snprintf(text, sizeof text, "t%x", static_cast<unsigned>(tid));
    return text;
}

}  // namespace pvm
