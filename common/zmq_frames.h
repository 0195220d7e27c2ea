// zmq_frames.h - Frames on ZeroMQ sockets: the daemon's peer links and the
// cross-host direct route. Only code that already links libzmq includes this.
#pragma once

#include <string>
#include <vector>
#include <zmq.hpp>

#include "frame.h"

namespace pvm {

/// toZmq hands frame's bytes to ZeroMQ without a copy; they live until ZeroMQ lets go.
zmq::message_t toZmq(const Frame& frame);
/// fromZmq keeps a received ZeroMQ message alive behind a Frame, without a copy.
Frame fromZmq(zmq::message_t&& message);

/// receiveMultipart takes one whole multipart message without waiting; false when none waits.
/// userId, when given, gets the "User-Id" the ZAP handler bound to the sender's key ("" if none).
bool receiveMultipart(zmq::socket_t& socket, std::vector<Frame>& frames, std::string* userId = nullptr);
/// sendMultipart sends frames as one multipart message, the first with flags; false when
/// that one would block (flags holding dontwait), and then nothing was sent.
bool sendMultipart(zmq::socket_t& socket, const std::vector<Frame>& frames, zmq::send_flags flags);

}  // namespace pvm
