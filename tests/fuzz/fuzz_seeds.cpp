// fuzz_seeds.cpp - writes the seed corpora of the fuzz targets (tests/fuzz/corpus):
// well-formed inputs, which the fuzzers then bend. Run it again after a change of
// pvm.capnp, the stream format or the ring layout:  fuzz_seeds tests/fuzz/corpus
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
    return 0;
}
