// vm_keys.h - the CurveZMQ key pair of one virtual machine. The master makes
// it; slaves receive it over their rsh/ssh start-up channel. Every daemon
// link is encrypted with it and only peers holding it are let in.
#pragma once

#include <string>
#include <zmq.hpp>

namespace pvm {

/// VmKeys holds the machine's key pair in Z85 text (40 characters each).
struct VmKeys {
    std::string publicKey;
    std::string secretKey;

    /// generate makes a fresh key pair; throws Error(PvmSysErr) when CurveZMQ is missing.
    static VmKeys generate();
    /// parse reads "public secret" as written by text(); throws Error(PvmBadMsg).
    static VmKeys parse(const std::string& line);
    std::string text() const { return publicKey + " " + secretKey; }

    /// makeServer configures socket to accept only clients holding these keys: with a ZapHandler
    /// in its context when checked (daemons); otherwise any client that knows the public key,
    /// which only members of the machine are given (a task's direct-route inbox).
    void makeServer(zmq::socket_t& socket, bool checked = true) const;
    /// makeClient configures socket to connect to servers holding these keys.
    void makeClient(zmq::socket_t& socket) const;
};

/// ZapHandler answers ZeroMQ's authentication requests (RFC 27) for one context: a CurveZMQ
/// client is accepted only when its public key is the machine's.
class ZapHandler {
public:
    ZapHandler(zmq::context_t& context, std::string allowedPublicKey);
    zmq::socket_t& socket() { return socket_; }
    /// onReadable answers every pending request; returns how many were refused.
    int onReadable();

private:
    zmq::socket_t socket_;
    std::string allowed_;  // 32 raw bytes
};

}  // namespace pvm
