// fuzz_frame_stream.cpp - FrameReader, which reassembles what a task (or a
// daemon, on the task side) writes on their Unix-domain socket, fed arbitrary bytes.
#include <cstddef>
#include <cstdint>
#include <sys/socket.h>
#include <unistd.h>
#include <vector>

#include "frame_stream.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    int fds[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, fds) != 0) return 0;
    // The input fits the socket's buffer (libFuzzer's -max_len is far below it).
    if (size > 0 && write(fds[1], data, size) < 0) {
        close(fds[0]);
        close(fds[1]);
        return 0;
    }
    close(fds[1]);  // the writer is gone after its bytes, as a task that died
    pvm::FrameReader reader;
    std::vector<pvm::Frame> frames;
    for (int i = 0; i < 1000 && reader.next(fds[0], frames) == pvm::FrameReader::Result::Message; ++i) {
        std::size_t total = 0;
        for (const auto& f : frames) total += f.size();
        (void)total;
    }
    close(fds[0]);
    return 0;
}
