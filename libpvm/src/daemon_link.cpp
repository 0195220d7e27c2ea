// daemon_link.cpp - connecting to the local pvmd.
#include "daemon_link.h"

#include <cerrno>
#include <csignal>
#include <fstream>
#include <poll.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "errors.h"
#include "paths.h"
#include "pvm3.h"
#include "wire.h"

namespace pvm {

namespace {
/// processRunning is true while pid exists and is neither a zombie nor being reaped.
bool processRunning(int pid) {
    if (kill(pid, 0) != 0 && errno == ESRCH) return false;
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string text;
    std::getline(stat, text);
    auto close = text.rfind(')');
    if (close == std::string::npos || close + 2 >= text.size()) return true;
    return text[close + 2] != 'Z' && text[close + 2] != 'X';
}

int openPidfd(int pid) { return static_cast<int>(syscall(SYS_pidfd_open, pid, 0)); }
}  // namespace

DaemonLink::DaemonLink() : context_(1), socket_(context_, zmq::socket_type::dealer) {
    auto address = readAddressFile();
    if (!address || (kill(address->pid, 0) != 0 && errno == ESRCH))
        throw Error(PvmSysErr, "no pvmd running for this user under " + tmpDir());
    daemonPid_ = address->pid;
    daemonPidfd_ = openPidfd(daemonPid_);
    socket_.set(zmq::sockopt::linger, 0);
    socket_.set(zmq::sockopt::sndhwm, 0);
    socket_.set(zmq::sockopt::rcvhwm, 0);
    socket_.connect(address->endpoint);
}

DaemonLink::~DaemonLink() {
    if (daemonPidfd_ >= 0) close(daemonPidfd_);
}

void DaemonLink::send(capnp::MessageBuilder& packet, std::vector<zmq::message_t> body) {
    zmq::message_t head = toFrame(packet);
    try {
        socket_.send(head, body.empty() ? zmq::send_flags::none : zmq::send_flags::sndmore);
        for (std::size_t i = 0; i < body.size(); ++i)
            socket_.send(body[i], i + 1 < body.size() ? zmq::send_flags::sndmore : zmq::send_flags::none);
    } catch (const zmq::error_t& e) {
        throw Error(PvmSysErr, std::string("sending to pvmd: ") + e.what());
    }
}

bool DaemonLink::daemonAlive() {
    if (daemonPidfd_ >= 0) {
        pollfd p{daemonPidfd_, POLLIN, 0};
        int n = poll(&p, 1, 0);
        if (n == 0 || (n < 0 && errno == EINTR)) return true;
    }
    // Confirm with the process table, so that a descriptor closed or reused by other code
    // in this process can never make us give up on a live daemon.
    return processRunning(daemonPid_);
}

std::optional<Incoming> DaemonLink::tryReceive() {
    Incoming in;
    try {
        if (!socket_.recv(in.packet, zmq::recv_flags::dontwait)) return std::nullopt;
        while (socket_.get(zmq::sockopt::rcvmore)) {
            zmq::message_t frame;
            (void)socket_.recv(frame);
            in.body.push_back(std::move(frame));
        }
    } catch (const zmq::error_t& e) {
        throw Error(PvmSysErr, std::string("receiving from pvmd: ") + e.what());
    }
    return in;
}

bool DaemonLink::hasInput() {
    try {
        return (socket_.get(zmq::sockopt::events) & ZMQ_POLLIN) != 0;
    } catch (const zmq::error_t& e) {
        throw Error(PvmSysErr, std::string("polling pvmd: ") + e.what());
    }
}

std::optional<Incoming> DaemonLink::receive(int timeoutMs) {
    // One try, one wait, one more try: callers loop against their own deadline.
    for (int attempt = 0; attempt < 2; ++attempt) {
        if (auto in = tryReceive()) return in;
        if (!daemonAlive()) {
            // Its last words (the answer to pvm_halt, say) may still be on their way to us.
            zmq::pollitem_t item{static_cast<void*>(socket_), 0, ZMQ_POLLIN, 0};
            if (attempt == 0 && zmq::poll(&item, 1, std::chrono::milliseconds(200)) > 0) continue;
            throw Error(PvmSysErr, "pvmd has exited");
        }
        if (attempt == 1 || timeoutMs == 0) break;
        // Without a pidfd, wake up now and then to notice a dead daemon.
        int wait = timeoutMs;
        if (daemonPidfd_ < 0 && (wait < 0 || wait > 1000)) wait = 1000;
        zmq::pollitem_t items[2] = {{static_cast<void*>(socket_), 0, ZMQ_POLLIN, 0},
                                    {nullptr, daemonPidfd_, ZMQ_POLLIN, 0}};
        zmq::poll(items, daemonPidfd_ >= 0 ? 2 : 1, std::chrono::milliseconds(wait));
    }
    return std::nullopt;
}

int DaemonLink::eventFd() { return socket_.get(zmq::sockopt::fd); }

}  // namespace pvm
