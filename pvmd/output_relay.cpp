// output_relay.cpp - task output to messages or the log.
#include "output_relay.h"

#include <cerrno>
#include <unistd.h>

#include "output_markers.h"
#include "pvm3.h"
#include "tid.h"

namespace pvm {

void OutputRelay::open(int tid, int fd, const OutputSink& sink, bool begun) {
    Stream& s = streams_[fd] = Stream{tid, sink, {}};
    if (!begun) deliver(s, kOutputBegin, nullptr);
    // A pipe whose writers are gone reads as end of file: onReadable then closes it.
    reactor_.add(fd, true, false, [this, fd](bool, bool) { onReadable(fd); });
}

void OutputRelay::begin(int tid, const OutputSink& sink) {
    Stream s{tid, sink, {}};
    deliver(s, kOutputBegin, nullptr);
}

void OutputRelay::abandon(int tid, const OutputSink& sink) {
    Stream s{tid, sink, {}};
    deliver(s, kOutputEnd, nullptr);
}

void OutputRelay::retarget(int tid, const OutputSink& sink) {
    for (auto& [fd, s] : streams_)
        if (s.tid == tid) s.sink = sink;
}

void OutputRelay::deliver(Stream& s, int count, const char* data) {
    if (!isTaskTid(s.sink.tid)) {  // 0, or a destination no task can have (PVM takes any)
        if (count > 0) {
            s.partial.append(data, static_cast<std::size_t>(count));
            std::size_t start = 0;
            for (std::size_t nl; (nl = s.partial.find('\n', start)) != std::string::npos; start = nl + 1)
                log_.taskOutput(s.tid, s.partial.substr(start, nl - start));
            s.partial.erase(0, start);
        } else if (count == kOutputEnd && !s.partial.empty()) {
            log_.taskOutput(s.tid, s.partial);
            s.partial.clear();
        }
        return;
    }
    MessageBuffer body(PvmDataDefault);
    int header[2] = {s.tid, count};
    body.pack(DataType::Int, header, 2, 1);
    if (count > 0) body.pack(DataType::Byte, data, count, 1);
    send_(s.sink.tid, s.sink.code, s.sink.context, std::move(body));
}

void OutputRelay::onReadable(int fd) {
    auto it = streams_.find(fd);
    if (it == streams_.end()) return;
    char chunk[16384];
    for (;;) {
        ssize_t n = read(fd, chunk, sizeof chunk);
        if (n > 0) {
            deliver(it->second, static_cast<int>(n), chunk);
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno == EAGAIN) return;
        finish(fd);  // end of file, or an error that ends the stream all the same
        return;
    }
}

void OutputRelay::finish(int fd) {
    auto it = streams_.find(fd);
    if (it == streams_.end()) return;
    deliver(it->second, kOutputEnd, nullptr);
    reactor_.remove(fd);
    close(fd);
    streams_.erase(it);
}

void OutputRelay::drain(int tid) {
    std::vector<int> fds;
    for (const auto& [fd, s] : streams_)
        if (s.tid == tid) fds.push_back(fd);
    for (int fd : fds) onReadable(fd);
}

void OutputRelay::closeAll() {
    while (!streams_.empty()) {
        int fd = streams_.begin()->first;
        onReadable(fd);
        finish(fd);
    }
}

}  // namespace pvm
