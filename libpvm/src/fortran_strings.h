// fortran_strings.h - what the pvmf* wrappers of libfpvm3 share: the calling convention of
// gfortran, and strings moved between Fortran and C.
//
// gfortran calls `CALL PVMFSEND(TID, TAG, INFO)` as pvmfsend_(&tid, &tag, &info): the name in
// lower case with a trailing underscore, every argument by reference. A CHARACTER argument
// also passes its length, as a size_t appended after all the other arguments in order. A
// Fortran string is blank-padded to that length and has no NUL.
#pragma once

#include <cstddef>
#include <cstring>
#include <string>

namespace pvm::fortran {

/// FLen is the type of the hidden length gfortran passes for each CHARACTER argument.
using FLen = std::size_t;

/// fromFortran gives the C string of a CHARACTER argument: its len bytes up to the first NUL
/// (C-minded callers end strings with CHAR(0)), without the trailing blanks that pad it.
inline std::string fromFortran(const char* text, FLen len) {
    if (!text) return {};
    FLen n = 0;
    while (n < len && text[n] != '\0') ++n;
    while (n > 0 && text[n - 1] == ' ') --n;
    return std::string(text, n);
}

/// toFortran stores a C string in a CHARACTER argument of len bytes: cut to fit, and padded
/// with blanks, because Fortran compares and prints the whole length.
inline void toFortran(const char* text, char* out, FLen len) {
    if (!out) return;
    FLen n = text ? strnlen(text, len) : 0;
    if (n > 0) std::memcpy(out, text, n);
    std::memset(out + n, ' ', len - n);
}

}  // namespace pvm::fortran
