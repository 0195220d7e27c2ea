// c_api_message.cpp - pvm3.h shims for message buffers, sending and receiving.
#include <cstring>
#include <span>

#include "c_api.h"

using pvm::capi::guard;
using pvm::capi::session;

namespace {
int timeoutMs(const struct timeval* tv) {
    if (!tv || tv->tv_sec < 0) return -1;  // PVM: null (or sec -1) waits for ever
    long long ms = static_cast<long long>(tv->tv_sec) * 1000 + tv->tv_usec / 1000;
    return ms > 0x7fffffff ? 0x7fffffff : static_cast<int>(ms);
}
}  // namespace

extern "C" {

int pvm_initsend(int encoding) {
    return guard("pvm_initsend", [&] {
        auto& b = session().buffers();
        int id = pvm_mkbuf(encoding);  // as in PVM, whose AutoErr names both calls
        if (id < 0) throw pvm::Error(id, "encoding " + std::to_string(encoding));
        int old = b.setSend(id);
        if (old) b.free(old);
        return id;
    });
}

int pvm_mkbuf(int encoding) {
    return guard("pvm_mkbuf", [&] {
        int id = session().buffers().create(encoding);
        session().buffers().get(id).src = session().tid();  // as pvm_initsend
        return id;
    });
}

int pvm_freebuf(int bufid) {
    return guard("pvm_freebuf", [&] {
        if (bufid == 0) return 0;  // PVM: nothing to free, no error
        session().buffers().free(bufid);
        return 0;
    });
}

int pvm_getsbuf(void) { return session().buffers().sendId(); }
int pvm_getrbuf(void) { return session().buffers().recvId(); }

int pvm_setsbuf(int bufid) {
    return guard("pvm_setsbuf", [&] { return session().buffers().setSend(bufid); });
}

int pvm_setrbuf(int bufid) {
    return guard("pvm_setrbuf", [&] { return session().buffers().setRecv(bufid); });
}

int pvm_bufinfo(int bufid, int* bytes, int* tag, int* tid) {
    return guard("pvm_bufinfo", [&] {
        const pvm::Buffer& b = session().buffers().get(bufid);
        if (bytes) *bytes = static_cast<int>(b.body.size());
        if (tag) *tag = b.tag;
        if (tid) *tid = b.src;
        return 0;
    });
}

int pvm_send(int tid, int tag) {
    return guard("pvm_send", [&] {
        session().send(tid, tag);
        return 0;
    });
}

int pvm_mcast(int* tids, int count, int tag) {
    return guard("pvm_mcast", [&] {
        PVM_REQUIRE(count >= 0 && (count == 0 || tids), PvmBadParam, "tid list");
        pvm::Session& s = session();
        // PVM never sends a multicast back to the sender.
        std::vector<int> dsts;
        for (int i = 0; i < count; ++i)
            if (tids[i] != s.tid()) dsts.push_back(tids[i]);
        s.sendBuffer(s.buffers().activeSend(), dsts, tag);
        return 0;
    });
}

int pvm_recv(int tid, int tag) {
    return guard("pvm_recv", [&] { return session().recv(tid, tag, -1); });
}

int pvm_nrecv(int tid, int tag) {
    return guard("pvm_nrecv", [&] {
        // PVM 3.4.6 checks nothing here: a tid or tag below -1 just matches no message.
        if (tid < -1 || tag < -1) return 0;
        return session().recv(tid, tag, 0);
    });
}

int pvm_trecv(int tid, int tag, struct timeval* tmout) {
    return guard("pvm_trecv", [&] { return session().recv(tid, tag, timeoutMs(tmout)); });
}

int pvm_probe(int tid, int tag) {
    return guard("pvm_probe", [&] {
        if (tid < -1 || tag < -1) return 0;  // as pvm_nrecv
        return session().probe(tid, tag);
    });
}

int pvm_psend(int tid, int tag, void* data, int count, int type) {
    return guard("pvm_psend", [&] {
        PVM_REQUIRE(count >= 0 && (count == 0 || data), PvmBadParam, "buffer");
        PVM_REQUIRE(type >= PVM_STR && type <= PVM_ULONG, PvmBadParam, "data type " + std::to_string(type));
        PVM_REQUIRE(type != PVM_STR, PvmNotImpl, "pvm_psend of PVM_STR");  // as PVM 3.4.6
        pvm::Buffer buffer{pvm::MessageBuffer(PvmDataRaw)};
        // PVM_STR counts characters, like PVM_BYTE.
        std::size_t width = type == PVM_STR ? 1 : pvm::elementSize(static_cast<pvm::DataType>(type));
        buffer.body.packBytes(data, width * static_cast<std::size_t>(count));
        int dst[1] = {tid};
        try {
            session().sendBuffer(buffer, dst, tag);
        } catch (const pvm::Error& e) {
            // PVM's pvm_psend sends through pvm_send, whose AutoErr message comes first.
            pvm::capi::report("pvm_send", e.code(), e.what());
            throw;
        }
        return 0;
    });
}

int pvm_precv(int tid, int tag, void* data, int count, int type, int* rtid, int* rtag, int* rcount) {
    return guard("pvm_precv", [&] {
        PVM_REQUIRE(count >= 0 && (count == 0 || data), PvmBadParam, "buffer");
        PVM_REQUIRE(type >= PVM_STR && type <= PVM_ULONG, PvmBadParam, "data type " + std::to_string(type));
        pvm::Session& s = session();
        auto& buffers = s.buffers();
        // pvm_precv leaves the active receive buffer alone.
        int id = s.take(tid, tag, -1);
        pvm::Buffer& b = buffers.get(id);
        std::size_t width = type == PVM_STR ? 1 : pvm::elementSize(static_cast<pvm::DataType>(type));
        std::size_t have = b.body.size() / width;
        std::size_t take = have < static_cast<std::size_t>(count) ? have : static_cast<std::size_t>(count);
        if (take) b.body.unpack(pvm::DataType::Byte, data, static_cast<int>(take * width), 1);
        if (rtid) *rtid = b.src;
        if (rtag) *rtag = b.tag;
        // PVM reports the message's length in bytes (12 for three PVM_INT), whatever the type.
        if (rcount) *rcount = static_cast<int>(b.body.size());
        buffers.free(id);
        return 0;
    });
}

}  // extern "C"
