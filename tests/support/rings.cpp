// rings.cpp - what the system tests look at around the shared-memory rings.
#include "rings.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "pvm3.h"

namespace pvm::test {

Route::Route(int value) { pvm_setopt(PvmRoute, value); }
Route::~Route() { pvm_setopt(PvmRoute, PvmAllowDirect); }

namespace {
char* arg(const char* s) { return const_cast<char*>(s); }

bool parseRing(const std::string& name, RingName& ring) {
    auto parts = pvm::parseRingName(name);
    if (!parts || parts->uid != getuid()) return false;
    ring = *parts;
    return true;
}
}  // namespace

std::vector<MappedRing> mappedRings() {
    std::vector<MappedRing> rings;
    std::ifstream maps("/proc/self/maps");
    std::string line;
    while (std::getline(maps, line)) {
        auto at = line.find("/dev/shm/");
        if (at == std::string::npos) continue;
        std::string name = line.substr(at + 9);
        if (auto space = name.find(' '); space != std::string::npos) name.resize(space);
        MappedRing ring;
        if (!parseRing(name, ring)) continue;
        std::size_t dash = line.find('-');
        ring.bytes = std::stoull(line.substr(dash + 1), nullptr, 16) - std::stoull(line.substr(0, dash), nullptr, 16);
        rings.push_back(ring);
    }
    return rings;
}

std::size_t mappedRingBytes(int writer, int reader) {
    for (const MappedRing& r : mappedRings())
        if (r.writerTid == writer && r.readerTid == reader) return r.bytes;
    return 0;
}

bool hasMappedRing(int writer, int reader) { return mappedRingBytes(writer, reader) != 0; }

std::vector<std::string> shmRingsOf(int pid) {
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator("/dev/shm")) {
        RingName ring;
        std::string name = entry.path().filename().string();
        if (parseRing(name, ring) && (ring.writerPid == pid || ring.readerPid == pid)) names.push_back(name);
    }
    return names;
}

std::vector<std::string> wakeFifos(const VirtualMachine& vm, int pid) {
    std::vector<std::string> names;
    std::string dir = vm.tmpDir() + "/pvm." + std::to_string(getuid());
    std::string suffix = "." + std::to_string(pid) + ".wake";
    std::error_code ignored;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ignored)) {
        std::string name = entry.path().filename().string();
        if (entry.path().extension() == ".wake" && (pid == 0 || name.ends_with(suffix))) names.push_back(name);
    }
    return names;
}

int spawnTask(std::vector<const char*> args) {
    std::string path = taskPath();
    std::vector<char*> argv;
    for (const char* a : args) argv.push_back(arg(a));
    argv.push_back(nullptr);
    int tid = 0;
    REQUIRE(pvm_spawn(path.data(), argv.data(), 0, nullptr, 1, &tid) == 1);
    return tid;
}

int pidOf(int tid) {
    int pid = pidOfTask(tid);
    REQUIRE(pid > 0);
    return pid;
}

void stop(int tid) {
    pvm_initsend(PvmDataDefault);
    pvm_send(tid, 99);
}

void receiveStream(int tid, int n) {
    for (int i = 0; i < n; ++i) {
        REQUIRE(pvm_recv(tid, 2) > 0);
        int v = -1;
        pvm_upkint(&v, 1, 1);
        REQUIRE(v == i);
    }
}

void roundTrips(int echo, int n, int bytes) {
    std::vector<char> filler(static_cast<std::size_t>(bytes > 4 ? bytes - 4 : 0), 'x');
    for (int i = 0; i < n; ++i) {
        pvm_initsend(PvmDataRaw);
        pvm_pkint(&i, 1, 1);
        if (!filler.empty()) pvm_pkbyte(filler.data(), static_cast<int>(filler.size()), 1);
        REQUIRE(pvm_send(echo, 3) == 0);
        REQUIRE(pvm_recv(echo, 3) > 0);
        int got = -1;
        pvm_upkint(&got, 1, 1);
        REQUIRE(got == i);
    }
}

}  // namespace pvm::test
