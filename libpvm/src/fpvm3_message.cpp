// fpvm3_message.cpp - libfpvm3: the pvmf* routines for message buffers, packing, sending and
// receiving. Each one calls the pvm3.h function of the same name; see fortran_strings.h for
// the calling convention.
#include <sys/time.h>

#include "fortran_strings.h"
#include "pvm3.h"

namespace {

// pvmfpack's type codes (STRING .. INTEGER8 in fpvm3.h) have the values of pvm3.h's PVM_STR ..
// PVM_LONG, so the C constants name them here and pvmfpsend passes them on unchanged.
static_assert(PVM_STR == 0 && PVM_BYTE == 1 && PVM_SHORT == 2 && PVM_INT == 3 && PVM_FLOAT == 4 && PVM_CPLX == 5 &&
              PVM_DOUBLE == 6 && PVM_DCPLX == 7 && PVM_LONG == 8);

// STRING packs nitem characters as bytes, as BYTE1 does: a Fortran string has no NUL and is
// as long as its declaration, so the caller gives its length, and a C peer uses
// pvm_pkbyte/pvm_upkbyte with the same count. COMPLEX8 and COMPLEX16 are pairs of REAL4 and
// REAL8, as C's pvm_pkcplx and pvm_pkdcplx expect. INTEGER8 is an INTEGER*8, C's long here.
int packItems(int what, void* xp, int nitem, int stride) {
    switch (what) {
        case PVM_STR:
        case PVM_BYTE:
            return pvm_pkbyte(static_cast<char*>(xp), nitem, stride);
        case PVM_SHORT:
            return pvm_pkshort(static_cast<short*>(xp), nitem, stride);
        case PVM_INT:
            return pvm_pkint(static_cast<int*>(xp), nitem, stride);
        case PVM_FLOAT:
            return pvm_pkfloat(static_cast<float*>(xp), nitem, stride);
        case PVM_CPLX:
            return pvm_pkcplx(static_cast<float*>(xp), nitem, stride);
        case PVM_DOUBLE:
            return pvm_pkdouble(static_cast<double*>(xp), nitem, stride);
        case PVM_DCPLX:
            return pvm_pkdcplx(static_cast<double*>(xp), nitem, stride);
        case PVM_LONG:
            return pvm_pklong(static_cast<long*>(xp), nitem, stride);
        default:
            return PvmBadParam;
    }
}

int unpackItems(int what, void* xp, int nitem, int stride) {
    switch (what) {
        case PVM_STR:
        case PVM_BYTE:
            return pvm_upkbyte(static_cast<char*>(xp), nitem, stride);
        case PVM_SHORT:
            return pvm_upkshort(static_cast<short*>(xp), nitem, stride);
        case PVM_INT:
            return pvm_upkint(static_cast<int*>(xp), nitem, stride);
        case PVM_FLOAT:
            return pvm_upkfloat(static_cast<float*>(xp), nitem, stride);
        case PVM_CPLX:
            return pvm_upkcplx(static_cast<float*>(xp), nitem, stride);
        case PVM_DOUBLE:
            return pvm_upkdouble(static_cast<double*>(xp), nitem, stride);
        case PVM_DCPLX:
            return pvm_upkdcplx(static_cast<double*>(xp), nitem, stride);
        case PVM_LONG:
            return pvm_upklong(static_cast<long*>(xp), nitem, stride);
        default:
            return PvmBadParam;
    }
}

}  // namespace

extern "C" {

void pvmfinitsend_(int* encoding, int* bufid) { *bufid = pvm_initsend(*encoding); }

void pvmfmkbuf_(int* encoding, int* bufid) { *bufid = pvm_mkbuf(*encoding); }

void pvmffreebuf_(int* bufid, int* info) { *info = pvm_freebuf(*bufid); }

void pvmfgetsbuf_(int* bufid) { *bufid = pvm_getsbuf(); }

void pvmfgetrbuf_(int* bufid) { *bufid = pvm_getrbuf(); }

void pvmfsetsbuf_(int* bufid, int* oldbuf) { *oldbuf = pvm_setsbuf(*bufid); }

void pvmfsetrbuf_(int* bufid, int* oldbuf) { *oldbuf = pvm_setrbuf(*bufid); }

void pvmfbufinfo_(int* bufid, int* bytes, int* msgtag, int* tid, int* info) {
    *info = pvm_bufinfo(*bufid, bytes, msgtag, tid);
}

// xp may be a CHARACTER variable, whose hidden length gfortran appends after info; it is not
// declared here because nitem is the count PVM's Fortran interface uses.
void pvmfpack_(int* what, void* xp, int* nitem, int* stride, int* info) {
    *info = packItems(*what, xp, *nitem, *stride);
}

void pvmfunpack_(int* what, void* xp, int* nitem, int* stride, int* info) {
    *info = unpackItems(*what, xp, *nitem, *stride);
}

void pvmfsend_(int* tid, int* msgtag, int* info) { *info = pvm_send(*tid, *msgtag); }

void pvmfmcast_(int* ntask, int* tids, int* msgtag, int* info) { *info = pvm_mcast(tids, *ntask, *msgtag); }

void pvmfrecv_(int* tid, int* msgtag, int* bufid) { *bufid = pvm_recv(*tid, *msgtag); }

void pvmfnrecv_(int* tid, int* msgtag, int* bufid) { *bufid = pvm_nrecv(*tid, *msgtag); }

void pvmfprobe_(int* tid, int* msgtag, int* bufid) { *bufid = pvm_probe(*tid, *msgtag); }

// A negative sec waits for ever, as a NULL timeout does in C.
void pvmftrecv_(int* tid, int* msgtag, int* sec, int* usec, int* bufid) {
    timeval timeout{*sec, *usec};
    *bufid = pvm_trecv(*tid, *msgtag, &timeout);
}

void pvmfpsend_(int* tid, int* msgtag, void* buf, int* len, int* datatype, int* info) {
    *info = pvm_psend(*tid, *msgtag, buf, *len, *datatype);
}

void pvmfprecv_(int* tid, int* msgtag, void* buf, int* len, int* datatype, int* atid, int* atag, int* alen, int* info) {
    *info = pvm_precv(*tid, *msgtag, buf, *len, *datatype, atid, atag, alen);
}

void pvmfgetminfo_(int* bufid, int* len, int* ctx, int* tag, int* wid, int* enc, int* crc, int* src, int* dst,
                   int* info) {
    pvmminfo mi{};
    *info = pvm_getminfo(*bufid, &mi);
    if (*info < 0) return;
    *len = mi.len;
    *ctx = mi.ctx;
    *tag = mi.tag;
    *wid = mi.wid;
    *enc = mi.enc;
    *crc = mi.crc;
    *src = mi.src;
    *dst = mi.dst;
}

// Only these five fields can be set; the others are read first so that they are kept.
void pvmfsetminfo_(int* bufid, int* ctx, int* tag, int* wid, int* src, int* dst, int* info) {
    pvmminfo mi{};
    *info = pvm_getminfo(*bufid, &mi);
    if (*info < 0) return;
    mi.ctx = *ctx;
    mi.tag = *tag;
    mi.wid = *wid;
    mi.src = *src;
    mi.dst = *dst;
    *info = pvm_setminfo(*bufid, &mi);
}

void pvmfpkmesg_(int* bufid, int* info) { *info = pvm_pkmesg(*bufid); }

void pvmfpkmesgbody_(int* bufid, int* info) { *info = pvm_pkmesgbody(*bufid); }

// C unpacks from the active receive buffer; the Fortran call names the buffer, so it is made
// active for the call and the previous one restored.
void pvmfupkmesg_(int* bufid, int* newbufid) {
    int old = pvm_getrbuf();
    if (*bufid != old) {
        int cc = pvm_setrbuf(*bufid);
        if (cc < 0) {
            *newbufid = cc;
            return;
        }
    }
    *newbufid = pvm_upkmesg();
    if (*bufid != old) pvm_setrbuf(old);
}

}  // extern "C"
