// task_connections.h - the daemon's side of its tasks' Unix-domain sockets: the
// listener, one connection per task process, whole messages in, queued
// messages out. The daemon never blocks on a task: what a task does not read
// yet waits in that connection's queue.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "frame.h"
#include "frame_stream.h"
#include "reactor.h"

namespace pvm {

/// TaskConnections accepts tasks on path and moves their messages. A connection is
/// named by its route: a string never reused while the daemon runs.
class TaskConnections {
public:
    /// ReadableFn is told of a connection with input: call receive() on it.
    using ReadableFn = std::function<void(int fd)>;
    /// TaskConnections registers its descriptors with reactor, tells onReadable of input,
    /// and holds up to limit bytes for a task before it slows down its senders.
    TaskConnections(Reactor& reactor, std::size_t limit, ReadableFn onReadable)
        : reactor_(reactor), limit_(limit), onReadable_(std::move(onReadable)) {}
    ~TaskConnections();
    TaskConnections(const TaskConnections&) = delete;
    TaskConnections& operator=(const TaskConnections&) = delete;

    /// listen binds path (mode 0600) and listens; throws Error(PvmSysErr).
    void listen(const std::string& path);
    /// acceptAll takes every connection waiting on the listener.
    void acceptAll();
    /// attach makes a connection with no socket behind it, for a task played in memory by a
    /// test or a fuzzer (process pid): what is sent to it waits until takeSent. Its route.
    std::string attach(int pid);
    /// takeSent hands over the messages waiting for an in-memory connection, oldest first.
    std::vector<std::vector<Frame>> takeSent(const std::string& route);

    /// receive takes the next whole message from the connection on fd into frames, and that
    /// connection's route into route; false when none is complete yet. A connection that
    /// closed or broke is dropped. toTheEnd reads the socket whatever the last read found
    /// (FrameReader::next may otherwise take a short read for the end).
    bool receive(int fd, std::vector<Frame>& frames, std::string& route, bool toTheEnd = false);
    /// send queues frames to route and writes what the socket takes now; false when no
    /// such connection exists (the task has gone).
    bool send(const std::string& route, std::vector<Frame>& frames);
    /// onWritable writes more of the queue of the connection on fd.
    void onWritable(int fd);
    /// buffered lists the connections holding a whole message already read, which epoll
    /// does not show: a turn's budget can leave some behind. Paused ones are left out.
    std::vector<int> buffered() const;
    /// fds lists every connection's descriptor.
    std::vector<int> fds() const;
    /// peerPid is the pid of the process that opened route's connection, as the kernel
    /// saw it (SO_PEERCRED), or 0.
    int peerPid(const std::string& route) const;
    /// fdOf is the descriptor of route's connection, or -1.
    int fdOf(const std::string& route) const;

    // Flow control: a slow reader slows its senders instead of growing the daemon.
    /// throttle stops reading sender's connection while more than the limit waits for dst;
    /// true when it did. Reading resumes once dst's queue is down to half the limit, or
    /// dst has gone.
    bool throttle(const std::string& sender, const std::string& dst);
    /// paused is true while route's connection is not read.
    bool paused(const std::string& route) const;
    /// hold stops reading route's connection until as many unhold calls (for holds kept
    /// elsewhere: messages held for a task of another host).
    void hold(const std::string& route);
    void unhold(const std::string& route);
    /// queuedBytes is what waits in route's queue, or -1 when there is no such connection.
    long long queuedBytes(const std::string& route) const;
    /// flushFor writes every queue out, waiting up to limit for slow readers (at halt).
    void flushFor(std::chrono::milliseconds limit);
    /// closeAll drops every connection and removes the socket file.
    void closeAll();

private:
    struct Connection {
        std::string route;
        int peerPid = 0;
        FrameReader reader;
        FrameQueue queue;
        int pausedBy = 0;                // destinations whose full queue stops this one's reading
        std::vector<std::string> holds;  // senders paused because of this one's queue
    };
    void drop(int fd);
    /// release resumes the senders c holds, once its queue is short enough (or always).
    void release(Connection& c, bool always);
    /// interest tells the reactor what fd's connection waits for now.
    void interest(int fd, const Connection& c);

    Reactor& reactor_;
    std::size_t limit_;
    ReadableFn onReadable_;
    std::set<int> backlog_;  // connections whose reader holds a whole message
    int listener_ = -1;
    std::string path_;
    std::uint64_t nextId_ = 1;
    int nextInMemory_ = -2;  // in-memory connections are keyed by negative numbers
    std::map<int, Connection> byFd_;
    std::unordered_map<std::string, int> byRoute_;
};

}  // namespace pvm
