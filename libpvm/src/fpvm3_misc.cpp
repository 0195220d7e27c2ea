// fpvm3_misc.cpp - libfpvm3: the pvmf* routines for options, errors, contexts, groups and the
// mailbox, and the reduction functions pvmfreduce takes. Each one calls the pvm3.h function
// of the same name; see fortran_strings.h for the calling convention.
#include <string>
#include <vector>

#include "fortran_strings.h"
#include "pvm3.h"

using pvm::fortran::FLen;
using pvm::fortran::fromFortran;
using pvm::fortran::toFortran;

namespace {

// pvmfgetmboxinfo hands out one mailbox entry per call, as PVM documents: a snapshot of
// pvm_getmboxinfo(pattern) flattened to (class, entry) pairs. It ends with PvmNotFound,
// after which the next call takes a new snapshot.
struct MboxCycle {
    struct Entry {
        std::string name;
        int nentries, index, owner, flags;
    };
    std::string pattern;
    std::vector<Entry> entries;
    int nclasses = 0;
    std::size_t next = 0;
    bool loaded = false;
};

MboxCycle mboxCycle;

int loadMbox(MboxCycle& c, std::string pattern) {
    int n = 0;
    pvmmboxinfo* classes = nullptr;
    int cc = pvm_getmboxinfo(pattern.data(), &n, &classes);
    if (cc < 0) return cc;
    c.entries.clear();
    for (int i = 0; i < n; ++i) {
        const pvmmboxinfo& k = classes[i];
        for (int j = 0; j < k.mi_nentries; ++j)
            c.entries.push_back(
                {k.mi_name ? k.mi_name : "", k.mi_nentries, k.mi_indices[j], k.mi_owners[j], k.mi_flags[j]});
    }
    c.pattern = std::move(pattern);
    c.nclasses = n;
    c.next = 0;
    c.loaded = true;
    return cc;
}

}  // namespace

extern "C" {

void pvmfsetopt_(int* what, int* val, int* oldval) { *oldval = pvm_setopt(*what, *val); }

void pvmfgetopt_(int* what, int* val) { *val = pvm_getopt(*what); }

// pvmfserror and pvmfadvise are PVM 3.2's names for two options.
void pvmfserror_(int* set, int* oldset) { *oldset = pvm_setopt(PvmAutoErr, *set); }

void pvmfadvise_(int* route, int* info) {
    int old = pvm_setopt(PvmRoute, *route);
    *info = old < 0 ? old : PvmOk;
}

void pvmfperror_(char* msg, int* info, FLen msgLen) {
    std::string text = fromFortran(msg, msgLen);
    *info = pvm_perror(text.data());
}

void pvmfnewcontext_(int* ctx) { *ctx = pvm_newcontext(); }

void pvmfsetcontext_(int* newCtx, int* oldCtx) { *oldCtx = pvm_setcontext(*newCtx); }

void pvmffreecontext_(int* ctx, int* info) { *info = pvm_freecontext(*ctx); }

void pvmfgetcontext_(int* ctx) { *ctx = pvm_getcontext(); }

void pvmfjoingroup_(char* group, int* inum, FLen len) {
    std::string name = fromFortran(group, len);
    *inum = pvm_joingroup(name.data());
}

void pvmflvgroup_(char* group, int* info, FLen len) {
    std::string name = fromFortran(group, len);
    *info = pvm_lvgroup(name.data());
}

void pvmfgsize_(char* group, int* size, FLen len) {
    std::string name = fromFortran(group, len);
    *size = pvm_gsize(name.data());
}

void pvmfgetinst_(char* group, int* tid, int* inum, FLen len) {
    std::string name = fromFortran(group, len);
    *inum = pvm_getinst(name.data(), *tid);
}

void pvmfgettid_(char* group, int* inum, int* tid, FLen len) {
    std::string name = fromFortran(group, len);
    *tid = pvm_gettid(name.data(), *inum);
}

void pvmfbarrier_(char* group, int* count, int* info, FLen len) {
    std::string name = fromFortran(group, len);
    *info = pvm_barrier(name.data(), *count);
}

void pvmfbcast_(char* group, int* msgtag, int* info, FLen len) {
    std::string name = fromFortran(group, len);
    *info = pvm_bcast(name.data(), *msgtag);
}

void pvmffreezegroup_(char* group, int* size, int* info, FLen len) {
    std::string name = fromFortran(group, len);
    *info = pvm_freezegroup(name.data(), *size);
}

// A Fortran reduction subroutine F(DATATYPE, X, Y, NUM, INFO) takes every argument by
// reference, which is the C signature pvm_reduce calls, so it is passed on as it is.
using ReduceFunction = void (*)(int*, void*, void*, int*, int*);

void pvmfreduce_(ReduceFunction func, void* data, int* count, int* datatype, int* msgtag, char* group, int* rootginst,
                 int* info, FLen len) {
    std::string name = fromFortran(group, len);
    *info = pvm_reduce(func, data, *count, *datatype, *msgtag, name.data(), *rootginst);
}

void pvmfgather_(void* result, void* data, int* count, int* datatype, int* msgtag, char* group, int* rootginst,
                 int* info, FLen len) {
    std::string name = fromFortran(group, len);
    *info = pvm_gather(result, data, *count, *datatype, *msgtag, name.data(), *rootginst);
}

void pvmfscatter_(void* result, void* data, int* count, int* datatype, int* msgtag, char* group, int* rootginst,
                  int* info, FLen len) {
    std::string name = fromFortran(group, len);
    *info = pvm_scatter(result, data, *count, *datatype, *msgtag, name.data(), *rootginst);
}

// EXTERNAL PvmMax etc. in fpvm3.h name these; they have the C functions' signature.
void pvmmax_(int* datatype, void* x, void* y, int* num, int* info) { PvmMax(datatype, x, y, num, info); }

void pvmmin_(int* datatype, void* x, void* y, int* num, int* info) { PvmMin(datatype, x, y, num, info); }

void pvmsum_(int* datatype, void* x, void* y, int* num, int* info) { PvmSum(datatype, x, y, num, info); }

void pvmproduct_(int* datatype, void* x, void* y, int* num, int* info) { PvmProduct(datatype, x, y, num, info); }

void pvmfputinfo_(char* name, int* bufid, int* flags, int* index, FLen len) {
    std::string key = fromFortran(name, len);
    *index = pvm_putinfo(key.data(), *bufid, *flags);
}

void pvmfrecvinfo_(char* name, int* index, int* flags, int* bufid, FLen len) {
    std::string key = fromFortran(name, len);
    *bufid = pvm_recvinfo(key.data(), *index, *flags);
}

void pvmfdelinfo_(char* name, int* index, int* flags, int* info, FLen len) {
    std::string key = fromFortran(name, len);
    *info = pvm_delinfo(key.data(), *index, *flags);
}

// info -1 on entry, or another pattern, starts a new snapshot (PVM's documented reset).
void pvmfgetmboxinfo_(char* pattern, char* name, int* nclasses, int* nentries, int* index, int* owner, int* flags,
                      int* info, FLen patternLen, FLen nameLen) {
    MboxCycle& c = mboxCycle;
    std::string wanted = fromFortran(pattern, patternLen);
    if (*info == -1 || !c.loaded || wanted != c.pattern) {
        *info = loadMbox(c, std::move(wanted));
        if (*info < 0) return;
    }
    *nclasses = c.nclasses;
    if (c.next >= c.entries.size()) {
        c.loaded = false;
        *info = PvmNotFound;
        return;
    }
    const MboxCycle::Entry& e = c.entries[c.next++];
    toFortran(e.name.c_str(), name, nameLen);
    *nentries = e.nentries;
    *index = e.index;
    *owner = e.owner;
    *flags = e.flags;
    *info = PvmOk;
}

}  // extern "C"
