// fuzz_seeds.cpp - writes the seed corpora of the fuzz targets (tests/fuzz/corpus):
// well-formed inputs, which the fuzzers then bend. Run it again after a change of
// pvm.capnp, the stream format or the ring layout:  fuzz_seeds tests/fuzz/corpus
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <string>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>
#include <vector>

#include "../support/request_defaults.h"
#include "frame_stream.h"
#include "message_buffer.h"
#include "pvm3.h"
#include "shm_ring.h"
#include "wire.h"

namespace fs = std::filesystem;

namespace {
void save(const fs::path& file, const void* data, std::size_t size) {
    fs::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary).write(static_cast<const char*>(data), static_cast<std::streamsize>(size));
}

void save(const fs::path& file, const pvm::Frame& frame) { save(file, frame.data(), frame.size()); }

std::vector<std::byte> bytesOf(pvm::MessageBuffer& body) {
    std::vector<std::byte> out;
    for (const auto& s : body.segments()) out.insert(out.end(), s.data, s.data + s.size);
    return out;
}

void packets(const fs::path& dir) {
    {
        capnp::MallocMessageBuilder b;
        auto m = b.initRoot<pvm::wire::Packet>().initMessage();
        m.setSrc(0x40001);
        m.setDst(0x80002);
        m.setTag(7);
        m.setEncoding(PvmDataDefault);
        m.setLength(12);
        auto fan = m.initFanOut(2);
        fan.set(0, 0x80003);
        fan.set(1, 0xc0001);
        save(dir / "message", pvm::toFrame(b));
    }
    {
        capnp::MallocMessageBuilder b;
        auto r = b.initRoot<pvm::wire::Packet>().initRequest();
        r.setId(3);
        auto s = r.initSpawn();
        s.setFile("worker");
        auto argv = s.initArgv(2);
        argv.set(0, "-n");
        argv.set(1, "10");
        s.setWhere("node2:/tmp");
        s.setCount(4);
        save(dir / "spawn", pvm::toFrame(b));
    }
    {
        capnp::MallocMessageBuilder b;
        auto e = b.initRoot<pvm::wire::Packet>().initRequest().initEnroll();
        e.setPid(1234);
        e.setName("a.out");
        e.setProtocolVersion(pvm::kProtocolVersion);
        save(dir / "enroll", pvm::toFrame(b));
    }
    {
        capnp::MallocMessageBuilder b;
        auto p = b.initRoot<pvm::wire::Packet>().initPeer();
        p.setFromHost(1);
        auto table = p.initHostTable(2);
        for (unsigned i = 0; i < 2; ++i) {
            auto info = table[i].initInfo();
            info.setTid(static_cast<int>((i + 1) << 18));
            info.setName(i == 0 ? "master" : "node2");
            info.setArch("LINUX64");
            info.setSpeed(1000);
            table[i].setEndpoint("tcp://198.18.0.2:40000");
            table[i].setPublicKey("rq:rz4!7A2$Bca(T}fAa5S(b9TB3d&W<iyJ7Fo0+");
        }
        save(dir / "host-table", pvm::toFrame(b));
    }
    {
        capnp::MallocMessageBuilder b;
        auto p = b.initRoot<pvm::wire::Packet>().initPeer();
        p.setFromHost(1);
        p.setHalt(0);
        save(dir / "halt", pvm::toFrame(b));
    }
}

void stream(const fs::path& dir) {
    int fds[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, fds) != 0) return;
    pvm::FrameQueue queue;
    for (int m = 0; m < 2; ++m) {
        std::vector<pvm::Frame> frames;
        frames.emplace_back("packet-bytes-800", 16);
        frames.emplace_back("body", 4);
        queue.push(std::move(frames));
    }
    (void)queue.flush(fds[1]);
    close(fds[1]);
    std::vector<char> bytes(4096);
    ssize_t n = read(fds[0], bytes.data(), bytes.size());
    close(fds[0]);
    if (n > 0) save(dir / "two-messages", bytes.data(), static_cast<std::size_t>(n));
}

void bodies(const fs::path& dir) {
    for (int encoding : {PvmDataDefault, PvmDataRaw}) {
        pvm::MessageBuffer body(encoding);
        int ints[3] = {1, -2, 3};
        double d = 2.5;
        body.pack(pvm::DataType::Int, ints, 3, 1);
        body.packString("hello");
        body.pack(pvm::DataType::Double, &d, 1, 1);
        std::vector<std::byte> bytes = bytesOf(body);
        // Control bytes (fuzz_unpack.cpp): encoding and split, then eight calls.
        std::vector<unsigned char> input = {
            static_cast<unsigned char>(encoding == PvmDataRaw ? 1 : 0), 0x23, 0x00, 0x06, 0x03, 0x01, 0x12, 0x05, 0x0b};
        for (std::byte b : bytes) input.push_back(static_cast<unsigned char>(b));
        save(dir / (encoding == PvmDataRaw ? "raw" : "xdr"), input.data(), input.size());
    }
}

void hostfiles(const fs::path& dir) {
    std::string text =
        "# a lab's hosts\n* ep=$HOME/bin:/usr/local/pvm3/bin/$PVM_ARCH wd=/tmp\nnode1 sp=2000\n"
        "node2 lo=alice dx=/opt/pvm/pvmd so=pw\n&node3 bx=/usr/bin/gdb\nnode4 ip=198.18.0.5 so=ms\n";
    save(dir / "lab", text.data(), text.size());
    std::string line = "node9 sp=1500 wd=/scratch ep=bin";
    save(dir / "one-line", line.data(), line.size());
}

void consoleArguments(const fs::path& dir) {
    // argv[1..] of `pvm`, separated by NUL.
    std::string args = std::string("-d") + '\0' + "0x10" + '\0' + "-n" + '\0' + "alpha" + '\0' + "hosts";
    save(dir / "options-and-hostfile", args.data(), args.size());
    std::string help = std::string("--help") + '\0' + "-T";
    save(dir / "help", help.data(), help.size());
}

void completions(const fs::path& dir) {
    for (std::string line : {"ver", "add no", "delete al", "spawn -> -al", "spawn hel", "kill t4"})
        save(dir / (line.substr(0, line.find(' ')) + std::to_string(line.size())), line.data(), line.size());
}

void rings(const fs::path& dir) {
    std::string name = "/pvm." + std::to_string(getuid()) + ".fuzz-seed." + std::to_string(getpid());
    auto writer = pvm::ShmRing::create(name, 4096, 0x40001, 0x40002, getpid());
    pvm::MessageBuffer body(PvmDataRaw);
    char text[300];
    std::memset(text, 'r', sizeof text);
    body.pack(pvm::DataType::Byte, text, sizeof text, 1);
    std::vector<pvm::Segment> segments = body.segments();
    for (int i = 0; i < 3; ++i) {
        pvm::RecordHeader header;
        header.length = sizeof text;
        header.flags = pvm::kFirstChunk | pvm::kLastChunk;
        header.src = 0x40001;
        pvm::SegmentCursor cursor(segments);
        writer->write(header, cursor);
    }
    int fd = shm_open(name.c_str(), O_RDONLY | O_CLOEXEC, 0);
    off_t length = lseek(fd, 0, SEEK_END);
    std::vector<char> bytes(static_cast<std::size_t>(length));
    if (pread(fd, bytes.data(), bytes.size(), 0) == length) save(dir / "three-records", bytes.data(), bytes.size());
    close(fd);
    pvm::ShmRing::unlink(name);
}

void save(const fs::path& file, const std::string& text) { save(file, text.data(), text.size()); }

// Lines typed at the console (fuzz_console_line.cpp), as its manual and help show them.
void consoleLines(const fs::path& dir) {
    save(dir / "session",
         "conf\nadd node4 \"node5 sp=1500 wd=/tmp\"\nspawn -4 -node2 -> worker -n 10\njobs\njobs -l\n"
         "jobs -wait\nps -a\nps -axl\nps -hnode2\nps -n node2 -l\nconf -s\nmstat node2 nowhere\n"
         "delete node4 node5\nquit\nps\n");
    save(dir / "spawn",
         "spawn -? -3 -LINUX64:/tmp -@ worker a b\nspawn ->out.txt -wd /tmp prog\n"
         "spawn ->>log -node3 prog\nspawn -@trace.out -SUN4 prog\nspawn -:/scratch prog\n"
         "spawn -nowhere prog\nspawn -2 missing\nspawn -5000 prog\nspawn -\nspawn\njobs -wait\n");
    save(dir / "tids",
         "kill -c t40002\nkill t80001 40002\nkill t40001\npstat 40002 t80001 tzz\nsig 15 t40002\n"
         "sig TERM t40002\nsig 9 t123456\nid\nversion\n");
    save(dir / "options",
         "setopt route 3\nsetopt PvmDebugMask 0x3\nsetopt Bogus 1\ngetopt PvmDebugMask\ngetopt\n"
         "trace + send recv\ntrace - *\ntrace none\ntrace all\ntrace pvm_spawn\ntrace nosuchcall\ntrace\n");
    save(dir / "aliases",
         "alias l ps -a\nalias\nalias l\nhelp l\nunalias l\nhelp spawn\nhelp\nhelp nosuch\n"
         "echo {a\nb} \"c d\" \\x41 $HOME [pwd] {*}{e f}\n");
    save(dir / "environment",
         "setenv FOO bar baz\nsetenv FOO\nexport FOO BAR\nexport\nunexport FOO\nsetenv\n"
         "put job1 hello persistent\nput job2 {a b} {overwritable 4}\nnames job*\nnames\n");
    save(dir / "top-reset-halt", "top 0.5\ntop x\nps -w\nreset\nhalt\nconf\n");
}

// Fields of pvm send and types of pvm recv (fuzz_tcl_fields.cpp): FIELDS NUL TYPES NUL TAIL.
void tclFields(const fs::path& dir) {
    using namespace std::string_literals;
    save(dir / "send", "-int {1 2 3} -string hello 42 3.5 word 5000000000\0int:3 string int double string long"s);
    save(dir / "typed",
         "-short {-1 7} -long 5000000000 -float 2.5 -double {1e-3 2} -bytes \\x00\\x01abc\0"
         "short:2 long float double:2 bytes:5"s);
    save(dir / "options-end", "-- -int 5 -1.5 {}\0string string double string"s);
    save(dir / "bad-fields", "-int {1 x} -string\0int"s);
    // A body a C task could send: after the packed string, a string length far past the end.
    save(dir / "hostile-tail",
         "-string name\0string string int:4 bytes:8\0\x7f\xff\xff\xff\0\0\0\x01"
         "abc"s);
}

/// DaemonInput writes fuzz_daemon's records: who (0, 1: task A, B; 2: the peer host 2; 3: let
/// the loop run), the number of frames less one, then each frame with its 16-bit length.
struct DaemonInput {
    std::string bytes;
    void add(int who, std::vector<pvm::Frame> frames) {
        bytes += static_cast<char>(who);
        bytes += static_cast<char>(frames.size() - 1);
        for (const pvm::Frame& f : frames) {
            std::size_t n = std::min<std::size_t>(f.size(), 0xffff);
            bytes += static_cast<char>(n & 0xff);
            bytes += static_cast<char>(n >> 8);
            bytes.append(reinterpret_cast<const char*>(f.data()), n);
        }
    }
    template <typename Fill>
    void request(int who, Fill fill) {
        capnp::MallocMessageBuilder b;
        auto r = b.initRoot<pvm::wire::Packet>().initRequest();
        r.setId(static_cast<std::uint32_t>(bytes.size() + 1));
        fill(r);
        std::vector<pvm::Frame> frames;
        frames.push_back(pvm::toFrame(b));
        add(who, std::move(frames));
    }
    template <typename Fill>
    void peer(Fill fill) {
        capnp::MallocMessageBuilder b;
        auto p = b.initRoot<pvm::wire::Packet>().initPeer();
        p.setFromHost(2);
        fill(p);
        std::vector<pvm::Frame> frames;
        frames.push_back(pvm::toFrame(b));
        add(2, std::move(frames));
    }
    void message(int who, int src, int dst) {
        capnp::MallocMessageBuilder b;
        auto m = b.initRoot<pvm::wire::Packet>().initMessage();
        m.setSrc(src);
        m.setDst(dst);
        m.setTag(5);
        m.setEncoding(PvmDataDefault);
        m.setLength(4);
        std::vector<pvm::Frame> frames;
        frames.push_back(pvm::toFrame(b));
        const unsigned char body[4] = {0, 0, 0, 42};
        frames.emplace_back(body, 4);
        add(who, std::move(frames));
    }
    void settle() { bytes += "\x03\x00"; }
};

// What the two enrolled tasks (t40001, t40002) and a peer daemon (host 2) may send the master.
void daemonInputs(const fs::path& dir) {
    using R = pvm::wire::Request::Builder;
    DaemonInput every;  // each request type, its fields at their defaults
    for (auto field : capnp::Schema::from<pvm::wire::Request>().getUnionFields()) {
        std::string name = field.getProto().getName().cStr();
        if (name == "enroll" || name == "halt" || name == "exit") continue;
        every.request(0, [&](R r) { pvm::test::setDefault(r, field); });
    }
    every.request(1, [](R r) { r.setExit(); });
    every.request(0, [](R r) { r.setHalt(); });
    save(dir / "every-request", every.bytes.data(), every.bytes.size());

    DaemonInput work;
    work.message(0, 0x40001, 0x40002);
    work.request(0, [](R r) {
        auto s = r.initSpawn();
        s.setFile("/bin/true");
        s.setCount(2);
    });
    work.settle();
    work.request(0, [](R r) { r.setKill(0x40003); });
    work.request(1, [](R r) {
        auto n = r.initNotify();
        n.setWhat(PvmTaskExit);
        n.setTag(9);
        n.setCount(1);
        n.initTids(1).set(0, 0x40001);
    });
    for (int who : {0, 1})
        work.request(who, [](R r) {
            auto g = r.initGroup();
            g.setOp(pvm::wire::GroupOp::JOIN);
            g.setName("g");
        });
    for (int who : {0, 1})
        work.request(who, [](R r) {
            auto g = r.initGroup();
            g.setOp(pvm::wire::GroupOp::BARRIER);
            g.setName("g");
            g.setNumber(2);
        });
    work.request(0, [](R r) {
        auto put = r.initMboxPut();
        put.setName("m");
        put.setEncoding(PvmDataDefault);
        const unsigned char body[4] = {0, 0, 0, 7};
        put.setBody(kj::arrayPtr(reinterpret_cast<const capnp::byte*>(body), 4));
    });
    work.request(1, [](R r) { r.initMboxGet().setName("m"); });
    work.request(0, [](R r) { r.setExit(); });
    save(dir / "tasks-at-work", work.bytes.data(), work.bytes.size());

    DaemonInput peer;
    peer.peer([](pvm::wire::PeerPacket::Builder p) { p.setHeartbeat(3); });
    peer.peer([](pvm::wire::PeerPacket::Builder p) {
        auto f = p.initForward();
        f.setToken(7);
        f.setTaskTid(0x80001);
        f.initRequest().setConfig();
    });
    peer.message(2, 0x80001, 0x40001);
    peer.peer([](pvm::wire::PeerPacket::Builder p) { p.setHoldFor(0x80001); });
    peer.peer([](pvm::wire::PeerPacket::Builder p) { p.setReleaseFor(0x80001); });
    peer.peer([](pvm::wire::PeerPacket::Builder p) { p.setAcked(100); });
    save(dir / "peer", peer.bytes.data(), peer.bytes.size());
}
}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: fuzz_seeds CORPUS-DIRECTORY\n");
        return 2;
    }
    fs::path root = argv[1];
    packets(root / "packet");
    stream(root / "frame_stream");
    bodies(root / "unpack");
    hostfiles(root / "hostfile");
    rings(root / "ring");
    consoleLines(root / "console_line");
    tclFields(root / "tcl_fields");
    daemonInputs(root / "daemon");
    consoleArguments(root / "console_args");
    completions(root / "completion");
    return 0;
}
