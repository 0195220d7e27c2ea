// c_api_group.cpp - pvm3.h shims for dynamic groups (pvm_joingroup ... pvm_scatter)
// and PVM's reduce functions PvmMax, PvmMin, PvmSum, PvmProduct.
#include <cmath>
#include <complex>
#include <cstdint>
#include <vector>

#include "c_api.h"
#include "wire.h"

using pvm::capi::guard;
using pvm::capi::session;

namespace {
int groupCall(const char* function, pvm::wire::GroupOp op, const char* group, int number, int tid) {
    return guard(
        function, [&] { return session().groupCall(static_cast<int>(op), group ? group : "", number, tid); },
        pvm::capi::groupAnswer);
}

enum class Op { Max, Min, Sum, Product };

template <class T>
void combine(Op op, T* x, const T* y, int n) {
    for (int i = 0; i < n; ++i) {
        if constexpr (std::is_same_v<T, std::complex<float>> || std::is_same_v<T, std::complex<double>>) {
            // Complex values compare by modulus, as PVM documents.
            if (op == Op::Max && std::abs(y[i]) > std::abs(x[i])) x[i] = y[i];
            if (op == Op::Min && std::abs(y[i]) < std::abs(x[i])) x[i] = y[i];
        } else {
            if (op == Op::Max && y[i] > x[i]) x[i] = y[i];
            if (op == Op::Min && y[i] < x[i]) x[i] = y[i];
        }
        if (op == Op::Sum) x[i] = static_cast<T>(x[i] + y[i]);
        if (op == Op::Product) x[i] = static_cast<T>(x[i] * y[i]);
    }
}

void reduceWith(Op op, const int* datatype, void* x, void* y, const int* num, int* info) {
    int n = num ? *num : 0;
    int type = datatype ? *datatype : -1;
    if (info) *info = PvmOk;
    // Sums and products of bytes are not defined, as in PVM.
    if (type == PVM_BYTE && (op == Op::Sum || op == Op::Product)) type = -1;
    switch (type) {
        case PVM_BYTE:
            return combine(op, static_cast<signed char*>(x), static_cast<signed char*>(y), n);
        case PVM_SHORT:
            return combine(op, static_cast<short*>(x), static_cast<short*>(y), n);
        case PVM_INT:
            return combine(op, static_cast<int*>(x), static_cast<int*>(y), n);
        case PVM_FLOAT:
            return combine(op, static_cast<float*>(x), static_cast<float*>(y), n);
        case PVM_CPLX:
            return combine(op, static_cast<std::complex<float>*>(x), static_cast<std::complex<float>*>(y), n);
        case PVM_DOUBLE:
            return combine(op, static_cast<double*>(x), static_cast<double*>(y), n);
        case PVM_DCPLX:
            return combine(op, static_cast<std::complex<double>*>(x), static_cast<std::complex<double>*>(y), n);
        case PVM_LONG:
            return combine(op, static_cast<long*>(x), static_cast<long*>(y), n);
        case PVM_USHORT:
            return combine(op, static_cast<unsigned short*>(x), static_cast<unsigned short*>(y), n);
        case PVM_UINT:
            return combine(op, static_cast<unsigned*>(x), static_cast<unsigned*>(y), n);
        case PVM_ULONG:
            return combine(op, static_cast<unsigned long*>(x), static_cast<unsigned long*>(y), n);
        default:
            if (info) *info = PvmBadParam;
    }
}
}  // namespace

extern "C" {

int pvm_joingroup(char* group) { return groupCall("pvm_joingroup", pvm::wire::GroupOp::JOIN, group, 0, 0); }

int pvm_lvgroup(char* group) { return groupCall("pvm_lvgroup", pvm::wire::GroupOp::LEAVE, group, 0, 0); }

int pvm_gsize(char* group) { return groupCall("pvm_gsize", pvm::wire::GroupOp::SIZE, group, 0, 0); }

int pvm_getinst(char* group, int tid) { return groupCall("pvm_getinst", pvm::wire::GroupOp::INSTANCE, group, 0, tid); }

int pvm_gettid(char* group, int inst) { return groupCall("pvm_gettid", pvm::wire::GroupOp::TID_OF, group, inst, 0); }

int pvm_barrier(char* group, int count) {
    if (count == 0) {
        // PVM 3.4.6 answers a count of 0 for an existing group with PvmMismatch.
        int size = groupCall("pvm_barrier", pvm::wire::GroupOp::SIZE, group, 0, 0);
        if (size < 0) return size;
        return pvm::capi::report("pvm_barrier", PvmMismatch, "barrier count 0", true);  // silent, as PVM's
    }
    return groupCall("pvm_barrier", pvm::wire::GroupOp::BARRIER, group, count, 0);
}

int pvm_freezegroup(char* group, int size) {
    return groupCall("pvm_freezegroup", pvm::wire::GroupOp::FREEZE, group, size, 0);
}

int pvm_bcast(char* group, int msgtag) {
    return guard(
        "pvm_bcast",
        [&] {
            session().broadcast(group ? group : "", msgtag);
            return 0;
        },
        pvm::capi::groupAnswer);
}

int pvm_reduce(void (*func)(int*, void*, void*, int*, int*), void* data, int count, int datatype, int msgtag,
               char* group, int root) {
    return guard(
        "pvm_reduce",
        [&] {
            session().reduce(func, data, count, datatype, msgtag, group ? group : "", root);
            return 0;
        },
        pvm::capi::groupAnswer);
}

int pvm_gather(void* result, void* data, int count, int datatype, int msgtag, char* group, int root) {
    return guard(
        "pvm_gather",
        [&] {
            session().gather(result, data, count, datatype, msgtag, group ? group : "", root);
            return 0;
        },
        pvm::capi::groupAnswer);
}

int pvm_scatter(void* result, void* data, int count, int datatype, int msgtag, char* group, int root) {
    return guard(
        "pvm_scatter",
        [&] {
            session().scatter(result, data, count, datatype, msgtag, group ? group : "", root);
            return 0;
        },
        pvm::capi::groupAnswer);
}

void PvmMax(int* datatype, void* x, void* y, int* num, int* info) { reduceWith(Op::Max, datatype, x, y, num, info); }
void PvmMin(int* datatype, void* x, void* y, int* num, int* info) { reduceWith(Op::Min, datatype, x, y, num, info); }
void PvmSum(int* datatype, void* x, void* y, int* num, int* info) { reduceWith(Op::Sum, datatype, x, y, num, info); }
void PvmProduct(int* datatype, void* x, void* y, int* num, int* info) {
    reduceWith(Op::Product, datatype, x, y, num, info);
}

}  // extern "C"
