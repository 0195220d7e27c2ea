// cluster.cpp - multi-host test machines on network namespaces.
#include "cluster.h"

#include <catch2/catch.hpp>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <unistd.h>
#include <vector>

#include "pvm3.h"
#include "virtual_machine.h"

namespace pvm::test {

namespace {
std::string supportDir() { return PVM_TEST_SUPPORT_DIR; }

}  // namespace

bool Cluster::available(std::string* why) {
    std::string output;
    int status = runCommand(supportDir() + "/netns-hosts.sh check", &output);
    if (status != 0 && why) *why = output;
    return status == 0;
}

std::string Cluster::plannedHostName(int i) {
    // Short and unique per process: interface names are limited to 15 characters.
    return "pv" + std::to_string(getpid() % 100000) + "-h" + std::to_string(i);
}

bool skipWithoutNamespaces() {
    std::string why;
    if (Cluster::available(&why)) return false;
    if (std::getenv("CI")) FAIL("multi-host tests need network namespaces, and CI must run them: " << why);
    WARN("skipped: multi-host tests need root and network namespaces: " << why);
    return true;
}

Cluster::Cluster(int hosts, const std::string& masterOptions, const std::string& hostfile) {
    char pattern[] = "/tmp/pvmtest.XXXXXX";
    if (!mkdtemp(pattern)) throw std::runtime_error("mkdtemp failed");
    base_ = pattern;
    prefix_ = plannedHostName(1).substr(0, plannedHostName(1).size() - 3);
    try {
        start(hosts, masterOptions, hostfile);
    } catch (...) {
        // The destructor will not run: leave nothing behind here either.
        runCommand(supportDir() + "/netns-hosts.sh down " + prefix_);
        std::error_code ignored;
        std::filesystem::remove_all(base_, ignored);
        throw;
    }
}

void Cluster::start(int hosts, const std::string& masterOptions, const std::string& hostfile) {
    std::string output;
    if (runCommand(supportDir() + "/netns-hosts.sh up " + std::to_string(hosts) + " " + prefix_, &output) != 0)
        throw std::runtime_error("cannot make test hosts: " + output);
    std::istringstream lines(output);
    std::string name, ns, address;
    while (lines >> name >> ns >> address) addresses_.push_back(address);
    for (int i = 1; i <= hosts; ++i) std::filesystem::create_directories(tmpOf(i));
    setenv("PVM_NETNS_HOSTS", ("/tmp/" + prefix_ + ".hosts").c_str(), 1);
    setenv("PVM_NETNS_TMP", base_.c_str(), 1);
    setenv("PVM_RSH", (supportDir() + "/rsh-netns").c_str(), 1);
    setenv("PVM_TMP", tmpOf(1).c_str(), 1);
    std::string command = "ip netns exec " + hostName(1) + " " + pvmdPath() + " -n " + hostName(1) + " " +
                          masterOptions + (hostfile.empty() ? "" : " " + hostfile);
    if (runCommand(command, &output) != 0) throw std::runtime_error("master pvmd did not start: " + output);
    masterPid_ = daemonPidIn(tmpOf(1));
}

std::string Cluster::tmpOf(int i) const { return base_ + "/" + hostName(i); }

int Cluster::daemonPid(int i) const { return daemonPidIn(tmpOf(i)); }

std::string Cluster::logText(int i) const { return readFile(tmpOf(i) + "/pvml." + std::to_string(getuid())); }

void Cluster::halt() {
    std::vector<int> pids;  // read first: a halted daemon removes its address file
    for (std::size_t i = 1; i <= addresses_.size(); ++i) pids.push_back(daemonPid(static_cast<int>(i)));
    int saved = pvm_setopt(PvmAutoErr, 0);
    if (masterPid_ && processAlive(masterPid_) && pvm_halt() != 0) kill(masterPid_, SIGTERM);
    pvm_setopt(PvmAutoErr, saved);
    for (int pid : pids) {
        if (pid && !waitFor([&] { return !processAlive(pid); }, std::chrono::seconds(10))) kill(pid, SIGKILL);
    }
    masterPid_ = 0;
}

Cluster::~Cluster() {
    halt();
    runCommand(supportDir() + "/netns-hosts.sh down " + prefix_);
    // PVM_TEST_KEEP keeps the daemons' logs for a look after a failure.
    std::error_code ignored;
    if (!std::getenv("PVM_TEST_KEEP")) std::filesystem::remove_all(base_, ignored);
    unsetenv("PVM_RSH");
}

void Cluster::addHosts(int n, const std::string& options) const {
    std::vector<std::string> names;
    for (int i = 2; i <= n; ++i) names.push_back(address(i) + options);
    std::vector<char*> argv;
    for (auto& s : names) argv.push_back(s.data());
    std::vector<int> infos(names.size());
    REQUIRE(pvm_addhosts(argv.data(), static_cast<int>(argv.size()), infos.data()) == n - 1);
    for (int i = 0; i < n - 1; ++i) CHECK(infos[static_cast<std::size_t>(i)] == (i + 2) << 18);
}

int spawnSleeperOn(const std::string& host) {
    std::string path = taskPath();
    std::string sleep = "sleep";
    char* argv[] = {sleep.data(), nullptr};
    int tid = 0;
    REQUIRE(pvm_spawn(path.data(), argv, PvmTaskHost, const_cast<char*>(host.c_str()), 1, &tid) == 1);
    REQUIRE(pvm_recv(tid, 1) > 0);
    return tid;
}

int receiveInt(int tid, int tag, int seconds) {
    struct timeval tmout = {seconds, 0};
    REQUIRE(pvm_trecv(tid, tag, &tmout) > 0);
    int v = 0;
    pvm_upkint(&v, 1, 1);
    return v;
}

}  // namespace pvm::test
