// c_api_pack.cpp - pvm3.h shims for packing and unpacking the active buffers.
#include <cstdarg>

#include "c_api.h"
#include "packf.h"

using pvm::DataType;
using pvm::capi::guard;
using pvm::capi::session;

namespace {
// PVM 3.4.6 takes any stride when one item is packed (it never steps): so do we.
int itemStride(int nitem, int stride) { return nitem == 1 && stride < 1 ? 1 : stride; }

int pack(const char* function, DataType type, const void* data, int nitem, int stride) {
    stride = itemStride(nitem, stride);
    return guard(function, [&] {
        session().buffers().activeSend().body.pack(type, data, nitem, stride);
        return 0;
    });
}

int unpack(const char* function, DataType type, void* data, int nitem, int stride) {
    stride = itemStride(nitem, stride);
    return guard(function, [&] {
        session().buffers().activeRecv().body.unpack(type, data, nitem, stride);
        return 0;
    });
}
}  // namespace

extern "C" {

int pvm_pkbyte(char* p, int n, int s) { return pack("pvm_pkbyte", DataType::Byte, p, n, s); }
int pvm_pkcplx(float* p, int n, int s) { return pack("pvm_pkcplx", DataType::Complex, p, n, s); }
int pvm_pkdcplx(double* p, int n, int s) { return pack("pvm_pkdcplx", DataType::DoubleComplex, p, n, s); }
int pvm_pkdouble(double* p, int n, int s) { return pack("pvm_pkdouble", DataType::Double, p, n, s); }
int pvm_pkfloat(float* p, int n, int s) { return pack("pvm_pkfloat", DataType::Float, p, n, s); }
int pvm_pkint(int* p, int n, int s) { return pack("pvm_pkint", DataType::Int, p, n, s); }
int pvm_pklong(long* p, int n, int s) { return pack("pvm_pklong", DataType::Long, p, n, s); }
int pvm_pkshort(short* p, int n, int s) { return pack("pvm_pkshort", DataType::Short, p, n, s); }
int pvm_pkuint(unsigned int* p, int n, int s) { return pack("pvm_pkuint", DataType::UInt, p, n, s); }
int pvm_pkulong(unsigned long* p, int n, int s) { return pack("pvm_pkulong", DataType::ULong, p, n, s); }
int pvm_pkushort(unsigned short* p, int n, int s) { return pack("pvm_pkushort", DataType::UShort, p, n, s); }

int pvm_pkstr(char* s) {
    return guard("pvm_pkstr", [&] {
        session().buffers().activeSend().body.packString(s);
        return 0;
    });
}

int pvm_upkbyte(char* p, int n, int s) { return unpack("pvm_upkbyte", DataType::Byte, p, n, s); }
int pvm_upkcplx(float* p, int n, int s) { return unpack("pvm_upkcplx", DataType::Complex, p, n, s); }
int pvm_upkdcplx(double* p, int n, int s) { return unpack("pvm_upkdcplx", DataType::DoubleComplex, p, n, s); }
int pvm_upkdouble(double* p, int n, int s) { return unpack("pvm_upkdouble", DataType::Double, p, n, s); }
int pvm_upkfloat(float* p, int n, int s) { return unpack("pvm_upkfloat", DataType::Float, p, n, s); }
int pvm_upkint(int* p, int n, int s) { return unpack("pvm_upkint", DataType::Int, p, n, s); }
int pvm_upklong(long* p, int n, int s) { return unpack("pvm_upklong", DataType::Long, p, n, s); }
int pvm_upkshort(short* p, int n, int s) { return unpack("pvm_upkshort", DataType::Short, p, n, s); }
int pvm_upkuint(unsigned int* p, int n, int s) { return unpack("pvm_upkuint", DataType::UInt, p, n, s); }
int pvm_upkulong(unsigned long* p, int n, int s) { return unpack("pvm_upkulong", DataType::ULong, p, n, s); }
int pvm_upkushort(unsigned short* p, int n, int s) { return unpack("pvm_upkushort", DataType::UShort, p, n, s); }

int pvm_upkstr(char* s) {
    return guard("pvm_upkstr", [&] {
        PVM_REQUIRE(s, PvmBadParam, "null string");
        session().buffers().activeRecv().body.unpackString(s);
        return 0;
    });
}

int pvm_packf(const char* fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int result = guard("pvm_packf", [&] {
        PVM_REQUIRE(fmt, PvmBadParam, "null format");
        pvm::packFormatted(fmt, ap, [](std::optional<int> encoding) -> pvm::MessageBuffer& {
            auto& buffers = session().buffers();
            if (encoding) {
                int id = buffers.create(*encoding);
                int old = buffers.setSend(id);
                if (old) buffers.free(old);
            }
            return buffers.activeSend().body;
        });
        return 0;
    });
    va_end(ap);
    return result;
}

int pvm_unpackf(const char* fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int result = guard("pvm_unpackf", [&] {
        PVM_REQUIRE(fmt, PvmBadParam, "null format");
        pvm::unpackFormatted(fmt, ap, session().buffers().activeRecv().body);
        return 0;
    });
    va_end(ap);
    return result;
}

}  // extern "C"
