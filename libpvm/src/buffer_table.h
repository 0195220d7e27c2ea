// buffer_table.h - the task's message buffers by id, with the active send and
// receive buffers, as pvm_mkbuf/pvm_setsbuf/pvm_getrbuf see them.
#pragma once

#include <map>
#include <memory>

#include "message_buffer.h"

namespace pvm {

/// Buffer is one message buffer and, once received, where it came from.
struct Buffer {
    explicit Buffer(MessageBuffer b) : body(std::move(b)) {}
    MessageBuffer body;
    int src = 0;
    int dst = 0;
    int tag = 0;
    int context = 0;
    int wid = 0;
    // Whether a message handler takes it is decided once, when a receive, a probe or a call to
    // the daemon first reaches it: PVM reads its messages that lazily (docs/compatibility.md).
    bool decided = false;
};

class BufferTable;

/// BufferRelease frees buffer id of table when it goes out of scope (a scratch buffer).
struct BufferRelease {
    BufferTable& table;
    int id;
    ~BufferRelease();
};

/// BufferTable owns every buffer of the task and knows the active ones.
class BufferTable {
public:
    /// create makes an empty buffer for packing and returns its id (> 0).
    int create(int encoding);
    /// adopt stores a received buffer and returns its id.
    int adopt(std::unique_ptr<Buffer> buffer);
    /// free drops a buffer; PvmNoSuchBuf when unknown, PvmBadParam for id <= 0.
    void free(int id);
    /// get finds a buffer; PvmNoSuchBuf when unknown, PvmBadParam for id <= 0.
    Buffer& get(int id);
    bool contains(int id) const { return buffers_.count(id) != 0; }

    int sendId() const noexcept { return send_; }
    int recvId() const noexcept { return recv_; }
    /// setSend makes id (0 for none) the active send buffer and returns the old one.
    int setSend(int id);
    /// setRecv makes id (0 for none) the active receive buffer and returns the old one.
    int setRecv(int id);
    /// activeSend is the active send buffer; PvmNoBuf when there is none.
    Buffer& activeSend();
    /// activeRecv is the active receive buffer; PvmNoBuf when there is none.
    Buffer& activeRecv();

private:
    std::map<int, std::unique_ptr<Buffer>> buffers_;
    int next_ = 1;
    int send_ = 0;
    int recv_ = 0;
};

inline BufferRelease::~BufferRelease() {
    if (table.contains(id)) table.free(id);
}

}  // namespace pvm
