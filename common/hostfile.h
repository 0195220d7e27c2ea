// hostfile.h - the pvmd hostfile and the host specs of pvm_addhosts: "name opt=value ...".
//
// A hostfile has one host per line, a name followed by options (lo=, so=pw, so=ms, dx=,
// ep=, wd=, sp=, bx=, ip=, id=). A line whose first field is '*' sets default options for
// the lines after it; a line starting with '&' names a host that is not started now but
// whose options are kept for a later pvm_addhosts. A field starting with '#' starts a
// comment, to the end of the line. This is a pure parser: values are kept as written
// ("$PVM_ARCH" is expanded later, by the pvmd of each host), and nothing is resolved or
// contacted.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace pvm {

/// kMinHostSpeed and kMaxHostSpeed bound sp=, as PVM documents it.
constexpr int kMinHostSpeed = 1;
constexpr int kMaxHostSpeed = 1000000;

/// HostSpec is one host as a hostfile line or a pvm_addhosts argument describes it.
/// An empty string or a zero speed means "not given": the pvmd's own default applies.
struct HostSpec {
    std::string name;
    std::string login;           // lo=
    bool askPassword = false;    // so=pw
    bool manualStart = false;    // so=ms
    std::string daemonPath;      // dx=
    std::string executablePath;  // ep=, elements separated by ':'
    std::string workDir;         // wd=
    int speed = 0;               // sp=, kMinHostSpeed..kMaxHostSpeed; 0 = not given
    std::string debuggerPath;    // bx=
    std::string address;         // ip=, a host name to use instead of name
    std::string vmid;            // id=, the virtual machine id (PVM 3.4.4)
    bool deferred = false;       // from an '&' line: remembered, not started
    int line = 0;                // 1-based hostfile line; 0 when not from a file
};

/// Hostfile is a parsed hostfile: its hosts in file order, and the defaults of its last
/// '*' line, which also apply to hosts added later with pvm_addhosts.
struct Hostfile {
    std::vector<HostSpec> hosts;
    HostSpec defaults;
};

/// parseHostfile parses hostfile text; fileName only labels errors. Throws
/// Error(PvmBadParam, "<fileName>:<line>: <what is wrong>") at the first bad line.
/// Options of a '*' line change only the defaults they name; so=pw and so=ms add to the
/// defaults and cannot be turned off again. Host names are compared without case, so a name
/// given twice (on host or '&' lines) is an error.
Hostfile parseHostfile(std::string_view text, const std::string& fileName);

/// readHostfile reads and parses the hostfile at path. Throws Error(PvmNoFile) naming the
/// path when it cannot be read, and parse errors as parseHostfile does.
Hostfile readHostfile(const std::string& path);

/// parseHostSpec parses one pvm_addhosts argument, "name opt=value ...", on top of defaults
/// (only their options are used). Throws Error(PvmBadParam, "<what is wrong>").
HostSpec parseHostSpec(std::string_view oneHostLine, const HostSpec& defaults);

/// findHost finds a host of the hostfile by name (without case), or gives nullptr; a later
/// pvm_addhosts of an '&' host uses the options found here.
const HostSpec* findHost(const Hostfile& hostfile, std::string_view name);

}  // namespace pvm
