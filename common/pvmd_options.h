// pvmd_options.h - pvmd's command-line options, which pvmd parses and the console
// passes on to the pvmd it starts (or names as ignored when one already runs).
#pragma once

#include <cstring>

namespace pvm {

/// kPvmdOptions is pvmd's getopt(3) spec; a letter followed by ':' takes a value.
constexpr const char* kPvmdOptions = "fn:d:H:T:S:M:b:e:w:s:x:h";

/// pvmdOptionTakesValue is true when pvmd's option -letter takes a value.
inline bool pvmdOptionTakesValue(char letter) {
    if (letter == ':' || letter == '\0') return false;
    const char* at = std::strchr(kPvmdOptions, letter);
    return at != nullptr && at[1] == ':';
}

}  // namespace pvm
