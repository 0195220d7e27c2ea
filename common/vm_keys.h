// vm_keys.h - CurveZMQ keys of a virtual machine. Each daemon has a key pair of
// its own, and its peers know it by that key: the ZAP handler binds each peer's
// identity ("d<host>") to its key, so holding some key of the machine is not
// enough to speak as its master. The machine's key pair, made by the master and
// handed to slaves over their rsh/ssh start-up channel and to tasks when they
// enroll, serves only the tasks' cross-host direct links.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>
#include <zmq.hpp>

namespace pvm {

/// VmKeys holds a key pair in Z85 text (40 characters each).
struct VmKeys {
    std::string publicKey;
    std::string secretKey;

    /// generate makes a fresh key pair; throws Error(PvmSysErr) when CurveZMQ is missing.
    static VmKeys generate();
    /// parse reads "public secret" as written by text(); throws Error(PvmBadMsg).
    static VmKeys parse(const std::string& line);
    std::string text() const { return publicKey + " " + secretKey; }

    /// makeServer configures socket to serve with these keys: with a ZapHandler in its
    /// context deciding who may connect when checked (daemons); otherwise any client that
    /// knows the public key, which only members of the machine are given (a task's inbox).
    void makeServer(zmq::socket_t& socket, bool checked = true) const;
    /// makeClient configures socket to connect with these keys to the server holding
    /// serverPublicKey (by default, these same keys: a task's link to another's inbox).
    void makeClient(zmq::socket_t& socket, const std::string& serverPublicKey = {}) const;
};

/// isPublicKey is true for 40 characters of Z85 that decode to a CurveZMQ key.
bool isPublicKey(const std::string& text);

/// SlaveKeys are what a slave reads on its start-up channel: the machine's keys, for its
/// tasks, and the master daemon's public key, the only one it takes the master's word from.
struct SlaveKeys {
    VmKeys machine;
    std::string masterPublicKey;
    /// parse reads "machine-public machine-secret master-public"; throws Error(PvmBadMsg).
    static SlaveKeys parse(const std::string& line);
    std::string text() const { return machine.text() + " " + masterPublicKey; }
};

/// ZapHandler answers ZeroMQ's authentication requests (RFC 27) for one context: a CurveZMQ
/// client is let in only with a public key given to allow(), and its messages then carry
/// that key's identity as their "User-Id" property. A key not known yet is kept waiting for
/// up to kZapPatience rather than refused: a new host's peers may connect before the host
/// table that names them has reached it.
class ZapHandler {
public:
    static constexpr std::chrono::milliseconds kZapPatience{5000};
    explicit ZapHandler(zmq::context_t& context);
    zmq::socket_t& socket() { return socket_; }
    /// allow lets the holder of publicKey in as identity, instead of any key given for
    /// identity before, and answers the requests waiting with that key; throws
    /// Error(PvmBadMsg) for a malformed key.
    void allow(const std::string& publicKey, const std::string& identity);
    /// forget lets identity's key in no more.
    void forget(const std::string& identity);
    /// onReadable answers every pending request it can; returns how many it refused.
    int onReadable();
    /// expire refuses the requests that have waited kZapPatience; returns how many.
    int expire();

private:
    struct Waiting {
        std::string route, requestId, rawKey;
        std::chrono::steady_clock::time_point since;
    };
    void answer(const std::string& route, const std::string& requestId, const std::string& identity);

    zmq::socket_t socket_;                           // ROUTER, so that a request may wait while others are answered
    std::map<std::string, std::string> identities_;  // 32 raw key bytes -> identity
    std::vector<Waiting> waiting_;
};

}  // namespace pvm
