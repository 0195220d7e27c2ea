// buffer_table.cpp - message buffers by id.
#include "buffer_table.h"

#include "errors.h"
#include "pvm3.h"

namespace pvm {

int BufferTable::create(int encoding) { return adopt(std::make_unique<Buffer>(MessageBuffer(encoding))); }

int BufferTable::adopt(std::unique_ptr<Buffer> buffer) {
    // Ids are never reused while the task lives, so a stale id is caught, not aliased.
    int id = next_++;
    buffers_.emplace(id, std::move(buffer));
    return id;
}

void BufferTable::free(int id) {
    PVM_REQUIRE(id > 0, PvmBadParam, "buffer id " + std::to_string(id));
    PVM_REQUIRE(buffers_.erase(id) == 1, PvmNoSuchBuf, "buffer id " + std::to_string(id));
    if (send_ == id) send_ = 0;
    if (recv_ == id) recv_ = 0;
}

Buffer& BufferTable::get(int id) {
    PVM_REQUIRE(id > 0, PvmBadParam, "buffer id " + std::to_string(id));
    auto it = buffers_.find(id);
    PVM_REQUIRE(it != buffers_.end(), PvmNoSuchBuf, "buffer id " + std::to_string(id));
    return *it->second;
}

int BufferTable::setSend(int id) {
    PVM_REQUIRE(id >= 0, PvmBadParam, "buffer id " + std::to_string(id));
    PVM_REQUIRE(id == 0 || contains(id), PvmNoSuchBuf, "buffer id " + std::to_string(id));
    int old = send_;
    send_ = id;
    return old;
}

int BufferTable::setRecv(int id) {
    PVM_REQUIRE(id >= 0, PvmBadParam, "buffer id " + std::to_string(id));
    PVM_REQUIRE(id == 0 || contains(id), PvmNoSuchBuf, "buffer id " + std::to_string(id));
    int old = recv_;
    recv_ = id;
    return old;
}

Buffer& BufferTable::activeSend() {
    PVM_REQUIRE(send_ != 0, PvmNoBuf, "no active send buffer");
    return get(send_);
}

Buffer& BufferTable::activeRecv() {
    PVM_REQUIRE(recv_ != 0, PvmNoBuf, "no active receive buffer");
    return get(recv_);
}

}  // namespace pvm
