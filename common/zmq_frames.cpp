// zmq_frames.cpp - Frame <-> zmq::message_t without copying the bytes.
#include "zmq_frames.h"

#include <memory>

namespace pvm {

namespace {
void releaseOwner(void*, void* hint) { delete static_cast<std::shared_ptr<const void>*>(hint); }
}  // namespace

zmq::message_t toZmq(const Frame& frame) {
    if (frame.size() == 0) return zmq::message_t();
    return zmq::message_t(const_cast<void*>(frame.data()), frame.size(), releaseOwner,
                          new std::shared_ptr<const void>(frame.owner()));
}

Frame fromZmq(zmq::message_t&& message) {
    auto owner = std::make_shared<zmq::message_t>(std::move(message));
    const void* data = owner->data();
    std::size_t size = owner->size();
    return Frame(std::move(owner), data, size);
}

bool receiveMultipart(zmq::socket_t& socket, std::vector<Frame>& frames, std::string* userId) {
    frames.clear();
    if (userId) userId->clear();
    // Only a connection authenticated through ZAP has the property, and a ROUTER's own
    // routing-id frame never has it: it is read from the frames the peer sent.
    auto take = [&](zmq::message_t& part) {
        if (userId && userId->empty())
            if (const char* id = zmq_msg_gets(part.handle(), "User-Id")) *userId = id;
        frames.push_back(fromZmq(std::move(part)));
    };
    zmq::message_t frame;
    if (!socket.recv(frame, zmq::recv_flags::dontwait)) return false;
    take(frame);
    while (socket.get(zmq::sockopt::rcvmore)) {
        zmq::message_t more;
        (void)socket.recv(more);
        take(more);
    }
    return true;
}

bool sendMultipart(zmq::socket_t& socket, const std::vector<Frame>& frames, zmq::send_flags flags) {
    for (std::size_t i = 0; i < frames.size(); ++i) {
        // ZeroMQ takes a multipart message whole once its first part is in: only that one
        // may find the socket full.
        auto part = i == 0 ? flags : zmq::send_flags::none;
        if (i + 1 < frames.size()) part = part | zmq::send_flags::sndmore;
        zmq::message_t message = toZmq(frames[i]);
        if (!socket.send(message, part) && i == 0) return false;
    }
    return true;
}

}  // namespace pvm
