// control_channel.h - the bookkeeping of a task's requests to its daemon: each gets an
// id, and its answer is filed under that id until the caller takes it. Calls may nest
// (a message handler that calls while an outer call waits) and answers may come in any
// order; an answer nobody waits for any more is dropped. Session does the waiting.
#pragma once

#include <cstdint>
#include <map>
#include <memory>

#include "pvm.capnp.h"
#include "wire.h"

namespace pvm {

class ControlChannel {
public:
    /// open numbers request and keeps a place for its answer; it returns the id.
    std::uint32_t open(wire::Request::Builder request);
    /// file keeps an answer for the request it names; false (dropped) when none waits.
    bool file(std::unique_ptr<PacketReader> answer);
    /// answered is true once the answer to id has come.
    bool answered(std::uint32_t id) const;
    /// take hands over the answer to id (null if it has not come) and forgets id.
    std::unique_ptr<PacketReader> take(std::uint32_t id);
    /// cancel forgets id, whose answer will be dropped when it comes.
    void cancel(std::uint32_t id) { waiting_.erase(id); }
    /// clear forgets every request (the task left the machine).
    void clear() { waiting_.clear(); }
    std::size_t waiting() const { return waiting_.size(); }

private:
    std::uint32_t next_ = 1;  // 0 is enrollment's
    std::map<std::uint32_t, std::unique_ptr<PacketReader>> waiting_;
};

}  // namespace pvm
