// intruder.cpp - plays a process without the virtual machine's keys: connects to
// a daemon's peer port in plain text and with made-up CurveZMQ keys, sends what
// a daemon would, and reports whether anything ever answers. With --push it
// instead forges user messages (src, dst, tag 1, one int) into a task's
// cross-host direct-route inbox, the same two ways. With --as-master it holds the
// machine's keys (read on stdin) and asks a slave to halt in the master's name. With
// --enroll-as it is a local process that enrolls claiming another task's tid and pid
// (--enroll-and-leave: it asks to enroll and ends at once, without waiting for the answer);
// with --misbehave, a local task that breaks the protocol every way it can. Run as a
// slave's pvmd (dx=, "intruder --slave N ..."), it is a compromised slave: a member of
// the machine, with a key of its own, that sends its master every bad packet it can.
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
#include "vm_keys.h"
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
/// CompromisedSlave plays a slave pvmd that its master let in, gone bad. It answers the
/// start-up channel as a slave does, waits for its master's first message, then sends
/// the master bad packets: none a daemon can decode, oversized, and well-formed ones out
/// of place or claiming what is not its own. Told (tag 76, one int: the asker's tid) by a
/// task, it answers that task in the name of a task of its own host (tag 77, 42) after
/// a message forged as that task's own (tag 79), and leaves.
class CompromisedSlave {
public:
    explicit CompromisedSlave(int host) : host_(host) {}

    int run() {
        std::string line;
        std::getline(std::cin, line);
        pvm::SlaveKeys keys = pvm::SlaveKeys::parse(line);  // a real slave's start-up: the master's key
        (void)keys;
        char pub[41], sec[41];
        zmq_curve_keypair(pub, sec);
        router_.set(zmq::sockopt::curve_server, true);
        router_.set(zmq::sockopt::curve_publickey, std::string(pub));
        router_.set(zmq::sockopt::curve_secretkey, std::string(sec));
        router_.set(zmq::sockopt::linger, 2000);
        router_.bind("tcp://0.0.0.0:0");
        std::string bound = router_.get(zmq::sockopt::last_endpoint);
        std::printf("pvmd-slave-ready %s LINUX64 1000 %s\n", bound.substr(bound.rfind(':') + 1).c_str(), pub);
        std::fflush(stdout);
        std::freopen("/dev/null", "w", stdout);  // the master stops reading after that line
        int asker = awaitAsker();
        if (asker == 0) return 1;
        sendBadPackets(asker);
        std::vector<pvm::Frame> answer;
        answer.push_back(envelope(tid(1), asker, 77, 4));
        answer.push_back(bigEndianInt(42));
        send(answer);
        return 0;
    }

private:
    int tid(int task) const { return (host_ << 18) | task; }

    /// awaitAsker reads the master's packets until a task's tag 76 comes; 0 after 20 s.
    /// Meanwhile it sends heartbeats, as a real slave does: a silent host is deleted after
    /// the master's -T (2 s in the tests), which a slow start of the test's next host outlasted.
    int awaitAsker() {
        using Peer = pvm::wire::PeerPacket::Builder;
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
        auto nextBeat = std::chrono::steady_clock::now();
        while (std::chrono::steady_clock::now() < deadline) {
            if (std::chrono::steady_clock::now() >= nextBeat) {
                sendOne(peer(host_, [](Peer p) { p.setHeartbeat(0); }));
                nextBeat += std::chrono::seconds(1);
            }
            zmq::pollitem_t item{static_cast<void*>(router_), 0, ZMQ_POLLIN, 0};
            if (zmq::poll(&item, 1, std::chrono::milliseconds(200)) <= 0) continue;
            std::vector<pvm::Frame> parts;
            if (!pvm::receiveMultipart(router_, parts) || parts.size() < 2) continue;
            pvm::PacketReader reader(parts[1]);
            auto packet = reader.packet();
            if (packet.isMessage() && packet.getMessage().getTag() == 76) return packet.getMessage().getSrc();
        }
        return 0;
    }

    static pvm::Frame envelope(int src, int dst, int tag, std::uint64_t length) {
        capnp::MallocMessageBuilder builder;
        auto e = builder.initRoot<pvm::wire::Packet>().initMessage();
        e.setSrc(src);
        e.setDst(dst);
        e.setTag(tag);
        e.setEncoding(PvmDataDefault);
        e.setLength(length);
        return pvm::toFrame(builder);
    }

    static pvm::Frame bigEndianInt(int v) {
        unsigned char bytes[4] = {static_cast<unsigned char>(v >> 24), static_cast<unsigned char>(v >> 16),
                                  static_cast<unsigned char>(v >> 8), static_cast<unsigned char>(v)};
        return pvm::Frame(bytes, 4);
    }

    template <typename Fill>
    static pvm::Frame peer(int from, Fill fill) {
        capnp::MallocMessageBuilder builder;
        auto p = builder.initRoot<pvm::wire::Packet>().initPeer();
        p.setFromHost(from);
        fill(p);
        return pvm::toFrame(builder);
    }

    void send(std::vector<pvm::Frame>& frames) {
        router_.send(zmq::buffer(std::string("d1")), zmq::send_flags::sndmore);
        pvm::sendMultipart(router_, frames, zmq::send_flags::none);
    }

    static pvm::Frame bytes(const std::string& text) { return pvm::Frame(text.data(), text.size()); }

    void sendOne(pvm::Frame frame) {
        std::vector<pvm::Frame> frames;
        frames.push_back(std::move(frame));
        send(frames);
    }

    void sendBadPackets(int asker) {
        using Peer = pvm::wire::PeerPacket::Builder;
        // Nothing a daemon can decode.
        sendOne(bytes("not a packet at all"));
        sendOne(pvm::Frame());
        pvm::Frame heartbeat = peer(host_, [](Peer p) { p.setHeartbeat(0); });
        sendOne(pvm::Frame(heartbeat.data(), heartbeat.size() / 2));  // cut short
        std::string huge(16, '\xff');                                 // a segment table claiming 4 GB
        sendOne(bytes(huge));
        sendOne(bytes(std::string(4 << 20, '\xab')));  // 4 MB of nothing
        // Well-formed, but out of place or not this host's to say.
        sendOne(peer(1, [](Peer p) { p.setHalt(0); }));  // fromHost lies; the link says who
        sendOne(peer(host_, [](Peer p) { p.setHostDeleted(3 << 18); }));
        sendOne(peer(host_, [](Peer p) { p.initHostTable(1); }));
        sendOne(peer(host_, [](Peer p) { p.initForwardReply().setToken(999999); }));
        sendOne(peer(host_, [](Peer p) { p.setAcked(~std::uint64_t{0}); }));
        sendOne(peer(host_, [](Peer p) { p.setAcked(0); }));
        sendOne(peer(host_, [&](Peer p) { p.setHoldFor(asker); }));
        sendOne(peer(host_, [&](Peer p) { p.setReleaseFor(tid(5)); }));
        sendOne(peer(host_, [&](Peer p) {
            auto f = p.initForward();
            f.setToken(1);
            f.setTaskTid(asker);  // a request in the name of another host's task
            f.initRequest().setHalt();
        }));
        // A message in the name of the asker itself, a task of another host.
        std::vector<pvm::Frame> forged;
        forged.push_back(envelope(asker, asker, 79, 4));
        forged.push_back(bigEndianInt(13));
        send(forged);
        {
            // A multicast to ten thousand tasks that do not exist.
            capnp::MallocMessageBuilder builder;
            auto e = builder.initRoot<pvm::wire::Packet>().initMessage();
            e.setSrc(tid(1));
            e.setDst((1 << 18) | 4000);
            e.setTag(78);
            auto fan = e.initFanOut(10000);
            for (unsigned i = 0; i < fan.size(); ++i) fan.set(i, (1 << 18) | static_cast<int>(5000 + i));
            sendOne(pvm::toFrame(builder));
        }
    }

    int host_;
    zmq::context_t context_;
    zmq::socket_t router_{context_, zmq::socket_type::router};
};

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
    if (argc > 2 && std::string(argv[1]) == "--slave") return CompromisedSlave(std::atoi(argv[2])).run();
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
                     "       intruder --misbehave SOCKET\n"
                     "       intruder --slave N ... < keys   (as a slave pvmd: dx=intruder)\n");
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
