// paths.cpp - the per-user daemon directory and address file.
#include "paths.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

#include "errors.h"
#include "pvm3.h"

namespace pvm {

std::string tmpDir() {
    const char* dir = std::getenv("PVM_TMP");
    return dir && *dir ? dir : "/tmp";
}

std::string userDir() { return tmpDir() + "/pvm." + std::to_string(getuid()); }

std::string ensureUserDir() {
    std::string dir = userDir();
    if (mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST)
        throw Error(PvmSysErr, "cannot create " + dir + ": " + std::strerror(errno));
    struct stat st {};
    if (lstat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) throw Error(PvmDenied, dir + " is not a directory");
    // Local IPC is protected only by this directory, so refuse one others can enter.
    if (st.st_uid != getuid() || (st.st_mode & 077) != 0)
        throw Error(PvmDenied, dir + " must belong to uid " + std::to_string(getuid()) + " with mode 0700");
    return dir;
}

std::string addressFile() { return userDir() + "/pvmd.addr"; }

std::string logFile() { return tmpDir() + "/pvml." + std::to_string(getuid()); }

std::string localSocketPath() { return userDir() + "/pvmd.ipc"; }

std::string localEndpoint() { return "unix:" + localSocketPath(); }

std::optional<DaemonAddress> readAddressFile() {
    std::ifstream in(addressFile());
    if (!in) return std::nullopt;
    DaemonAddress address;
    std::string key;
    while (in >> key) {
        if (key == "endpoint")
            in >> address.endpoint;
        else if (key == "pid")
            in >> address.pid;
        else
            in.ignore(1 << 20, '\n');
    }
    if (address.endpoint.empty() || address.pid <= 0) return std::nullopt;
    return address;
}

void writeAddressFile(const DaemonAddress& address) {
    std::string path = addressFile();
    std::string temp = path + ".tmp";
    {
        std::ofstream out(temp, std::ios::trunc);
        if (!out) throw Error(PvmSysErr, "cannot write " + temp);
        out << "endpoint " << address.endpoint << "\npid " << address.pid << "\n";
    }
    chmod(temp.c_str(), 0600);
    if (rename(temp.c_str(), path.c_str()) != 0)
        throw Error(PvmSysErr, "cannot write " + path + ": " + std::strerror(errno));
}

const char* archName() {
#if defined(__x86_64__) || defined(__aarch64__) || defined(__powerpc64__)
    return "LINUX64";
#else
    return "LINUX";
#endif
}

int dataSignature(const std::string& arch) {
    // Hosts of our own architecture share our format; PVM's value for it is all a peer compares.
    if (arch != archName()) return 0;
#if defined(__x86_64__) || defined(__aarch64__)
    return 0x00408c41;
#else
    return 0;
#endif
}

}  // namespace pvm
