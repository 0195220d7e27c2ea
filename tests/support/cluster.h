// cluster.h - a real multi-host virtual machine for one test: test hosts in
// network namespaces (tests/support/netns-hosts.sh), a master pvmd on the
// first, and $PVM_RSH entering the others' namespaces (rsh-netns).
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace pvm::test {

/// Cluster makes `hosts` test hosts and starts a master pvmd on the first. The test process
/// talks to the master through its IPC socket (unix sockets cross network namespaces).
class Cluster {
public:
    /// available says whether namespaces can be made here (root); why is set when not.
    static bool available(std::string* why);
    /// plannedHostName is the name test host i will have in a cluster made by this process.
    static std::string plannedHostName(int i);

    explicit Cluster(int hosts, const std::string& masterOptions = "-H 200 -T 2000 -s 1000",
                     const std::string& hostfile = "");
    ~Cluster();
    Cluster(const Cluster&) = delete;
    Cluster& operator=(const Cluster&) = delete;

    /// address of test host i (1-based); host 1 runs the master.
    const std::string& address(int i) const { return addresses_.at(static_cast<std::size_t>(i - 1)); }
    int hostCount() const { return static_cast<int>(addresses_.size()); }
    std::string hostName(int i) const { return prefix_ + "-h" + std::to_string(i); }
    /// daemonPid is the pid of the pvmd running on test host i, or 0.
    int daemonPid(int i) const;
    /// logText is the daemon log of test host i.
    std::string logText(int i) const;
    int masterPid() const { return masterPid_; }
    /// addHosts adds test hosts 2..n by address, each line followed by options (" sp=1000"
    /// makes placement predictable), and checks each got its daemon tid.
    void addHosts(int n, const std::string& options = "") const;
    /// halt stops the machine and waits until no daemon of this cluster runs.
    void halt();

private:
    void start(int hosts, const std::string& masterOptions, const std::string& hostfile);
    std::string tmpOf(int i) const;

    std::string prefix_;
    std::string base_;
    std::vector<std::string> addresses_;
    int masterPid_ = 0;
};

/// skipWithoutNamespaces returns true (and says why) when multi-host tests cannot run here;
/// under CI it fails instead, since CI runs as root and must run them.
bool skipWithoutNamespaces();

/// spawnSleeperOn starts a test task that waits for ever on host, once it has said it is up.
int spawnSleeperOn(const std::string& host);

/// receiveInt receives a message from tid with tag within seconds and returns its first int.
int receiveInt(int tid, int tag, int seconds = 10);

}  // namespace pvm::test
