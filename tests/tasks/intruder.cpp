// intruder.cpp - plays a process without the virtual machine's keys: connects to
// a daemon's peer port in plain text and with made-up CurveZMQ keys, sends what
// a daemon would, and reports whether anything ever answers. With --push it
// instead forges user messages (src, dst, tag 1, one int) into a task's
// cross-host direct-route inbox, the same two ways. With --as-master it holds the
// machine's keys (read on stdin) and asks a slave to halt in the master's name. With
// --enroll-as it is a local process that enrolls claiming another task's tid and pid
// (--enroll-and-leave: it asks to enroll and ends at once, without waiting for the answer);
// with --misbehave, a local task that breaks the protocol every way it can.
#include <cstdio>
#include <cstdlib>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <vector>
#include <iostream>
#include <string>
#include <zmq.hpp>

#include "frame_stream.h"
#include "pvm3.h"
#include "wire.h"
#include "zmq_frames.h"

namespace {
void useMadeUpKeys(zmq::socket_t& socket) {
    char pub[41], sec[41], serverPub[41], serverSec[41];
    zmq_curve_keypair(pub, sec);
    zmq_curve_keypair(serverPub, serverSec);
    socket.set(zmq::sockopt::curve_serverkey, std::string(serverPub));
    socket.set(zmq::sockopt::curve_publickey, std::string(pub));
    socket.set(zmq::sockopt::curve_secretkey, std::string(sec));
}

int forge(const char* endpoint, int src, int dst) {
    zmq::context_t context;
    for (int attempt = 0; attempt < 2; ++attempt) {
        zmq::socket_t socket(context, zmq::socket_type::push);
        socket.set(zmq::sockopt::linger, 500);
        if (attempt == 1) useMadeUpKeys(socket);
        socket.connect(endpoint);
        for (int i = 0; i < 10; ++i) {
            capnp::MallocMessageBuilder builder;
            auto envelope = builder.initRoot<pvm::wire::Packet>().initMessage();
            envelope.setSrc(src);
            envelope.setDst(dst);
            envelope.setTag(1);
            envelope.setEncoding(PvmDataDefault);
            envelope.setLength(4);
            zmq::message_t packet = pvm::toZmq(pvm::toFrame(builder));
            unsigned char body[4] = {0x7f, 0xff, 0xff, 0xff};  // a sequence number nobody sent
            (void)socket.send(packet, zmq::send_flags::sndmore | zmq::send_flags::dontwait);
            (void)socket.send(zmq::buffer(body, 4), zmq::send_flags::dontwait);
        }
    }
    std::printf("forged\n");
    return 0;
}
/// haltAsMaster plays someone who holds the machine's keys (every task gets them, and they
/// cross a slave's start-up channel): it asks the slave at endpoint to halt, as its master
/// would, connecting with those keys to the slave's own key and to the machine's.
int haltAsMaster(const char* endpoint, const std::string& slaveKey) {
    std::string machinePublic, machineSecret, masterPublic;
    std::cin >> machinePublic >> machineSecret >> masterPublic;
    if (machinePublic.size() != 40 || machineSecret.size() != 40) {
        std::fprintf(stderr, "intruder: no machine keys on stdin\n");
        return 2;
    }
    zmq::context_t context;
    bool answered = false;
    for (const std::string& serverKey : {slaveKey, machinePublic}) {
        zmq::socket_t socket(context, zmq::socket_type::dealer);
        socket.set(zmq::sockopt::linger, 500);
        socket.set(zmq::sockopt::routing_id, "d1");
        socket.set(zmq::sockopt::curve_serverkey, serverKey);
        socket.set(zmq::sockopt::curve_publickey, machinePublic);
        socket.set(zmq::sockopt::curve_secretkey, machineSecret);
        socket.connect(endpoint);
        capnp::MallocMessageBuilder builder;
        auto peer = builder.initRoot<pvm::wire::Packet>().initPeer();
        peer.setFromHost(1);
        peer.setHalt(0);
        zmq::message_t packet = pvm::toZmq(pvm::toFrame(builder));
        (void)socket.send(packet, zmq::send_flags::dontwait);
        zmq::pollitem_t item{static_cast<void*>(socket), 0, ZMQ_POLLIN, 0};
        if (zmq::poll(&item, 1, std::chrono::milliseconds(700)) > 0) answered = true;
    }
    std::printf(answered ? "got a reply\n" : "sent halt\n");
    return 0;
}
/// LocalLink is a raw connection to a daemon's task socket, speaking the stream format.
struct LocalLink {
    int fd = -1;
    pvm::FrameReader in;

    explicit LocalLink(const char* socketPath) {
        fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        sockaddr_un where{};
        where.sun_family = AF_UNIX;
        std::snprintf(where.sun_path, sizeof where.sun_path, "%s", socketPath);
        if (fd >= 0 && connect(fd, reinterpret_cast<sockaddr*>(&where), sizeof where) != 0) {
            close(fd);
            fd = -1;
        }
    }
    ~LocalLink() {
        if (fd >= 0) close(fd);
    }
    void send(capnp::MessageBuilder& packet, std::vector<pvm::Frame> body = {}) {
        pvm::FrameQueue out;
        std::vector<pvm::Frame> frames;
        frames.push_back(pvm::toFrame(packet));
        for (auto& f : body) frames.push_back(std::move(f));
        out.push(std::move(frames));
        while (out.flush(fd) == pvm::FrameQueue::Flush::Blocked) {
            pollfd p{fd, POLLOUT, 0};
            poll(&p, 1, 1000);
        }
    }
    /// reply waits up to ms for the next packet: "tid <hex>", "error <code>", "other",
    /// "closed" or "none".
    std::string reply(int ms) {
        std::vector<pvm::Frame> frames;
        for (;;) {
            auto result = in.next(fd, frames);
            if (result == pvm::FrameReader::Result::Closed) return "closed";
            if (result == pvm::FrameReader::Result::Message) break;
            pollfd p{fd, POLLIN, 0};
            if (poll(&p, 1, ms) <= 0) return "none";
        }
        pvm::PacketReader reader(frames.at(0));
        auto packet = reader.packet();
        if (!packet.isReply()) return "other";
        auto reply = packet.getReply();
        char text[32];
        if (reply.isEnrolled())
            std::snprintf(text, sizeof text, "tid %x", static_cast<unsigned>(reply.getEnrolled().getTid()));
        else
            std::snprintf(text, sizeof text, "error %d", reply.getError());
        return text;
    }
};

void setEnroll(capnp::MallocMessageBuilder& builder, int pid, int spawnedTid) {
    auto request = builder.initRoot<pvm::wire::Packet>().initRequest();
    request.setId(1);
    auto enroll = request.initEnroll();
    enroll.setPid(pid);
    enroll.setSpawnedTid(spawnedTid);
    enroll.setName("impostor");
    enroll.setProtocolVersion(pvm::kProtocolVersion);
}

/// enrollAs plays a local process that enrolls with the daemon on socketPath claiming to be
/// the spawned task spawnedTid whose process is pid; prints the tid the daemon gives it.
int enrollAs(const char* socketPath, int spawnedTid, int pid) {
    LocalLink link(socketPath);
    if (link.fd < 0) {
        std::perror("intruder: connect");
        return 2;
    }
    capnp::MallocMessageBuilder builder;
    setEnroll(builder, pid, spawnedTid);
    link.send(builder);
    std::printf("%s\n", link.reply(10000).c_str());
    return 0;
}

/// enrollAndLeave asks the daemon on socketPath to enroll this process and ends without
/// waiting: the daemon reads the request from a process that is gone.
int enrollAndLeave(const char* socketPath) {
    LocalLink link(socketPath);
    if (link.fd < 0) {
        std::perror("intruder: connect");
        return 2;
    }
    capnp::MallocMessageBuilder builder;
    setEnroll(builder, getpid(), 0);
    link.send(builder);
    return 0;
}

/// misbehave plays a local task that breaks the protocol every way it can on one
/// connection, printing what the daemon answers to each step.
int misbehave(const char* socketPath) {
    LocalLink link(socketPath);
    if (link.fd < 0) {
        std::perror("intruder: connect");
        return 2;
    }
    auto step = [&](const char* what, capnp::MallocMessageBuilder& builder, int ms) {
        link.send(builder);
        std::printf("%s: %s\n", what, link.reply(ms).c_str());
    };
    {
        capnp::MallocMessageBuilder b;
        auto r = b.initRoot<pvm::wire::Packet>().initRequest();
        r.setId(7);
        r.setConfig();
        step("request before enroll", b, 10000);
    }
    {
        capnp::MallocMessageBuilder b;
        auto m = b.initRoot<pvm::wire::Packet>().initMessage();
        m.setSrc(0x40001);
        m.setDst(0x40001);
        step("message before enroll", b, 300);
    }
    {
        capnp::MallocMessageBuilder b;
        b.initRoot<pvm::wire::Packet>().initReply().setError(PvmSysErr);
        step("a reply to the daemon", b, 300);
    }
    int tid = 0;
    {
        capnp::MallocMessageBuilder b;
        setEnroll(b, getpid(), 0);
        link.send(b);
        std::string got = link.reply(10000);
        std::printf("enroll: %s\n", got.rfind("tid ", 0) == 0 ? "tid" : got.c_str());
        if (got.rfind("tid ", 0) == 0) tid = static_cast<int>(std::strtol(got.c_str() + 4, nullptr, 16));
    }
    {
        capnp::MallocMessageBuilder b;
        auto p = b.initRoot<pvm::wire::Packet>().initPeer();
        p.setFromHost(1);
        p.setHalt(0);
        step("a daemon's halt on a task link", b, 300);
    }
    {
        capnp::MallocMessageBuilder b;
        auto m = b.initRoot<pvm::wire::Packet>().initMessage();
        m.setSrc(tid + 1);
        m.setDst(tid);
        m.setEncoding(PvmDataRaw);
        step("a message in another task's name", b, 300);
    }
    {
        capnp::MallocMessageBuilder b;
        setEnroll(b, getpid(), 0);
        link.send(b);
        std::string got = link.reply(10000);
        char own[32];
        std::snprintf(own, sizeof own, "tid %x", static_cast<unsigned>(tid));
        std::printf("enroll again: %s\n", got == own ? "same tid" : got.c_str());
    }
    // A header cut short, then the connection ends.
    std::uint64_t header[2] = {2, 100};
    ssize_t ignored = write(link.fd, header, 12);
    (void)ignored;
    return 0;
}
}  // namespace

int main(int argc, char** argv) {
    if (argc == 3 && std::string(argv[1]) == "--misbehave") return misbehave(argv[2]);
    if (argc == 3 && std::string(argv[1]) == "--enroll-and-leave") return enrollAndLeave(argv[2]);
    if (argc == 5 && std::string(argv[1]) == "--enroll-as")
        return enrollAs(argv[2], static_cast<int>(std::strtol(argv[3], nullptr, 0)), std::atoi(argv[4]));
    if (argc == 5 && std::string(argv[1]) == "--push") return forge(argv[2], std::atoi(argv[3]), std::atoi(argv[4]));
    if (argc == 4 && std::string(argv[1]) == "--as-master") return haltAsMaster(argv[2], argv[3]);
    if (argc != 2) {
        std::fprintf(stderr,
                     "usage: intruder tcp://address:port\n       intruder --push tcp://address:port SRC DST\n"
                     "       intruder --as-master tcp://address:port SLAVE-KEY < keys\n"
                     "       intruder --enroll-as SOCKET SPAWNED-TID PID\n"
                     "       intruder --enroll-and-leave SOCKET\n"
                     "       intruder --misbehave SOCKET\n");
        return 2;
    }
    zmq::context_t context;
    bool answered = false;
    for (int attempt = 0; attempt < 2; ++attempt) {
        zmq::socket_t socket(context, zmq::socket_type::dealer);
        socket.set(zmq::sockopt::linger, 0);
        socket.set(zmq::sockopt::routing_id, "d1");  // pretend to be the master
        if (attempt == 1) useMadeUpKeys(socket);
        socket.connect(argv[1]);
        for (int i = 0; i < 10; ++i) socket.send(zmq::buffer(std::string(64, 'x')), zmq::send_flags::dontwait);
        zmq::pollitem_t item{static_cast<void*>(socket), 0, ZMQ_POLLIN, 0};
        if (zmq::poll(&item, 1, std::chrono::milliseconds(700)) > 0) answered = true;
    }
    std::printf(answered ? "got a reply\n" : "no reply\n");
    return 0;
}
