// host_table.h - the hosts of the virtual machine as this daemon knows them.
// The master's table is the authority; slaves hold the copy it last sent.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace pvm {

/// Host is one daemon of the virtual machine.
struct Host {
    int number = 0;    // host part of its tids; the master is 1
    std::string name;  // as the user named it (hostfile, pvm_addhosts)
    std::string arch;
    int speed = 1000;
    int load = 0;           // tasks running there, as its last heartbeat said
    std::string endpoint;   // tcp://address:port of its peer socket ("" for the master)
    std::string publicKey;  // its daemon's CurveZMQ key: what its peers know it by
    std::chrono::steady_clock::time_point lastHeard = std::chrono::steady_clock::now();
};

/// HostTable keeps hosts by number.
class HostTable {
public:
    Host* find(int number);
    Host* findByName(const std::string& name);
    Host& add(Host host);
    void remove(int number);
    /// freeNumber is the lowest host number not in use (from 2; 1 is the master).
    int freeNumber() const;
    std::vector<Host*> all();
    std::size_t size() const { return hosts_.size(); }

private:
    std::map<int, Host> hosts_;
};

}  // namespace pvm
