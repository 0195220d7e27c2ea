// output_relay.h - reads what tasks print and sends it where PVM sends it: to
// the task named by PvmOutputTid as output messages, or to the daemon log.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "daemon_log.h"
#include "message_buffer.h"
#include "reactor.h"

namespace pvm {

/// OutputSink is where one task's output goes; tid 0 means the daemon log.
struct OutputSink {
    int tid = 0;
    int code = 0;
    int context = 0;
};

/// OutputRelay owns the read ends of the tasks' stdout/stderr pipes.
class OutputRelay {
public:
    /// SendFn delivers a system message (src is the daemon) to a task.
    using SendFn = std::function<void(int dst, int tag, int context, MessageBuffer body)>;
    OutputRelay(DaemonLog& log, Reactor& reactor, SendFn send) : log_(log), reactor_(reactor), send_(std::move(send)) {}

    /// open starts relaying fd for task tid; a collecting sink is told the task began,
    /// unless begin() told it already.
    void open(int tid, int fd, const OutputSink& sink, bool begun = false);
    /// begin tells a collecting sink that task tid began, before its process starts: the
    /// spawner learns of it before pvm_spawn returns, as when the process started at once.
    void begin(int tid, const OutputSink& sink);
    /// abandon tells a collecting sink that task tid, begun but never started, has ended.
    void abandon(int tid, const OutputSink& sink);
    /// retarget changes where task tid's further output goes (PvmSelfOutputTid).
    void retarget(int tid, const OutputSink& sink);
    /// onReadable drains fd; at end of file the sink is told the output ended and fd closed.
    void onReadable(int fd);
    /// drain relays what task tid has written so far, and its end when its pipe is closed:
    /// called before the task's exit is announced, so its output comes first, as in PVM.
    void drain(int tid);
    /// closeAll flushes and closes every stream (daemon shutdown).
    void closeAll();

private:
    struct Stream {
        int tid;
        OutputSink sink;
        std::string partial;  // unfinished line for the log
    };
    void deliver(Stream& s, int count, const char* data);
    void finish(int fd);

    DaemonLog& log_;
    Reactor& reactor_;
    SendFn send_;
    std::map<int, Stream> streams_;  // by fd
};

}  // namespace pvm
