// zmq_inputs.h - the daemon's ZeroMQ sockets inside its reactor. A socket's ZMQ_FD
// only says that ZeroMQ has news, and ZeroMQ may take that news in any call on the
// socket, a send included, after which the descriptor stays quiet although messages
// wait. So a socket is asked for ZMQ_EVENTS when its descriptor wakes the loop, after
// its handler ran and after a send on it; and all of them are asked before the loop
// sleeps and at least every kRecheck while it does not, so no message waits longer.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <zmq.hpp>

#include "reactor.h"

namespace pvm {

class ZmqInputs {
public:
    static constexpr std::chrono::milliseconds kRecheck{1};
    explicit ZmqInputs(Reactor& reactor) : reactor_(reactor) {}

    /// add registers socket; onInput is called while it holds a message, and need not read
    /// them all. The socket must stay where it is until remove().
    void add(zmq::socket_t& socket, std::function<void()> onInput);
    /// remove forgets socket; call it before closing the socket.
    void remove(zmq::socket_t& socket);
    /// sentOn says a message was just sent on socket: the send may have taken in the news
    /// its descriptor showed, so the socket is asked at the next turn.
    void sentOn(zmq::socket_t& socket);
    /// pending is true when a socket may hold input that its handler has not taken yet.
    bool pending() const noexcept;
    /// serveDue runs the handlers of the sockets that are pending, and of every socket
    /// with input when kRecheck has passed since they were all asked; true if one ran.
    bool serveDue();
    /// serveAll asks every socket and runs the handlers of those with input; true if one ran.
    bool serveAll();

private:
    struct Entry {
        zmq::socket_t* socket;
        std::function<void()> onInput;
        bool pending = false;
    };
    /// serve runs fd's handler once if its socket has input, and marks it pending if it
    /// still has some after.
    bool serve(int fd);

    Reactor& reactor_;
    std::map<int, Entry> entries_;  // by the socket's ZMQ_FD
    std::chrono::steady_clock::time_point askedAll_;
};

}  // namespace pvm
