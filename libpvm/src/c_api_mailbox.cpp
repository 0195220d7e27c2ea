// c_api_mailbox.cpp - pvm3.h shims for the mailbox: pvm_putinfo, pvm_recvinfo,
// pvm_delinfo, pvm_getmboxinfo.
#include <string>
#include <vector>

#include "c_api.h"

using pvm::capi::guard;
using pvm::capi::session;

namespace {
/// MboxStore keeps what pvm_getmboxinfo returned alive until its next call, as PVM does.
struct MboxStore {
    std::vector<pvm::MailboxClass> classes;
    std::vector<pvmmboxinfo> infos;
};
MboxStore& store() {
    static MboxStore s;
    return s;
}
}  // namespace

extern "C" {

int pvm_putinfo(char* name, int bufid, int flags) {
    return guard("pvm_putinfo", [&] { return session().putInfo(name ? name : "", bufid, flags); });
}

int pvm_recvinfo(char* name, int index, int flags) {
    return guard(
        "pvm_recvinfo", [&] { return session().recvInfo(name ? name : "", index, flags); }, pvm::capi::notFound);
}

int pvm_delinfo(char* name, int index, int flags) {
    return guard(
        "pvm_delinfo", [&] { return session().delInfo(name ? name : "", index, flags); }, pvm::capi::notFound);
}

int pvm_getmboxinfo(char* pattern, int* nclasses, struct pvmmboxinfo** classes) {
    return guard("pvm_getmboxinfo", [&] {
        MboxStore& s = store();
        s.classes = session().mailboxInfo(pattern ? pattern : "");
        s.infos.clear();
        for (auto& c : s.classes)
            s.infos.push_back(
                {c.name.data(), static_cast<int>(c.indices.size()), c.indices.data(), c.owners.data(), c.flags.data()});
        if (nclasses) *nclasses = static_cast<int>(s.infos.size());
        if (classes) *classes = s.infos.data();
        return 0;
    });
}

}  // extern "C"
