// paths.h - where a user's daemon keeps its files: $PVM_TMP (default /tmp),
// a per-user 0700 directory holding the IPC socket and the address file.
#pragma once

#include <optional>
#include <string>

namespace pvm {

/// tmpDir is $PVM_TMP, or /tmp.
std::string tmpDir();
/// userDir is tmpDir()/pvm.<uid>, the 0700 directory of this user's daemon files.
std::string userDir();
/// ensureUserDir creates userDir() with mode 0700 and checks it belongs to us and is private;
/// throws Error(PvmDenied) otherwise.
std::string ensureUserDir();
/// addressFile is the file a running daemon writes its endpoint and pid into.
std::string addressFile();
/// logFile is the daemon's log: tmpDir()/pvml.<uid>, as PVM names it.
std::string logFile();
/// localSocketPath is the Unix-domain socket the local daemon listens on for its tasks.
std::string localSocketPath();
/// localEndpoint is what the address file says of it: "unix:" and the path.
std::string localEndpoint();

/// DaemonAddress is what the address file says about a running daemon.
struct DaemonAddress {
    std::string endpoint;
    int pid = 0;
};
/// readAddressFile reads the address file; nullopt when missing or unreadable.
std::optional<DaemonAddress> readAddressFile();
/// writeAddressFile atomically writes the address file (mode 0600).
void writeAddressFile(const DaemonAddress& address);

/// archName is this machine's PVM architecture name (LINUX64 on x86-64 Linux).
const char* archName();
/// dataSignature is the data-format signature PVM shows for a host of architecture arch (pvm_config's
/// hi_dsig, the console's DSIG): 0x00408c41 for little-endian LP64 hosts, as PVM 3.4.6 reports on
/// x86-64; 0 where we do not know the format of an architecture we do not run on.
int dataSignature(const std::string& arch);

}  // namespace pvm
