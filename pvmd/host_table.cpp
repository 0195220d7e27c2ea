// host_table.cpp - the hosts of the virtual machine.
#include "host_table.h"

#include "tid.h"

namespace pvm {

Host* HostTable::find(int number) {
    auto it = hosts_.find(number);
    return it == hosts_.end() ? nullptr : &it->second;
}

Host* HostTable::findByName(const std::string& name) {
    for (auto& [number, host] : hosts_)
        if (host.name == name) return &host;
    return nullptr;
}

Host& HostTable::add(Host host) {
    int number = host.number;
    return hosts_.insert_or_assign(number, std::move(host)).first->second;
}

void HostTable::remove(int number) { hosts_.erase(number); }

int HostTable::freeNumber() const {
    for (int n = 2; n <= kMaxHosts; ++n)
        if (!hosts_.count(n)) return n;
    return 0;
}

std::vector<Host*> HostTable::all() {
    std::vector<Host*> out;
    for (auto& [number, host] : hosts_) out.push_back(&host);
    return out;
}

}  // namespace pvm
