// fpvm3_legacy.cpp - the names PVM 3.4's libfpvm3 exports beyond the man pages' Fortran
// synopses, so that Fortran code written against it (and objects built with it) link here:
// pvmftidtohost (the real name of the man page's pvmftidtoh), pvmfsleep, pvmfaddmhf,
// pvmfdelmhf, and the two string helpers ftocstr and ctofstr that PVM's wrappers export.
#include <cstring>

#include "pvm3.h"

extern "C" {

int pvmsleep(int seconds);  // c_api_legacy.cpp

void pvmftidtohost_(int* tid, int* dtid) { *dtid = pvm_tidtohost(*tid); }

void pvmfsleep_(int* seconds) { pvmsleep(*seconds); }

// The handler is passed on as it comes, as PVM's libfpvm3 does: it is called as C calls it,
// with the buffer id by value, so a Fortran handler declares its argument INTEGER, VALUE.
void pvmfaddmhf_(int* src, int* tag, int* ctx, int (*handler)(int), int* info) {
    *info = pvm_addmhf(*src, *tag, *ctx, handler);
}

void pvmfdelmhf_(int* mhid, int* info) { *info = pvm_delmhf(*mhid); }

// ftocstr copies the Fortran string (src, srclen) without its trailing blanks into the C
// buffer dst of dstlen bytes. Returns 0, or 1 when it does not fit (dst is then "").
int ftocstr(char* dst, int dstlen, const char* src, int srclen) {
    int n = srclen;
    while (n > 0 && src[n - 1] == ' ') --n;
    dst[0] = '\0';
    if (n > dstlen - 1) return 1;
    std::strncat(dst, src, static_cast<std::size_t>(n));
    return 0;
}

// ctofstr copies the C string src into the Fortran string (dst, dstlen): cut to fit, or
// padded with blanks. Always returns 0.
int ctofstr(char* dst, int dstlen, const char* src) {
    int n = static_cast<int>(std::strlen(src));
    if (n >= dstlen) {
        std::memmove(dst, src, static_cast<std::size_t>(dstlen));
        return 0;
    }
    std::memmove(dst, src, static_cast<std::size_t>(n));
    std::memset(dst + n, ' ', static_cast<std::size_t>(dstlen - n));
    return 0;
}

}  // extern "C"
