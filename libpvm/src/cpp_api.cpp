// cpp_api.cpp - pvm/pvm.hpp over the same core as the C API (pvm::Session): each call
// runs the core operation and turns the internal pvm::Error into the public PvmError.
#include "pvm/pvm.hpp"

#include <climits>
#include <cstring>
#include <new>
#include <utility>

#include "errors.h"
#include "pvm3.h"
#include "session.h"

namespace pvm {

// The public header spells PVM's numbers without including pvm3.h; keep them in step.
static_assert(static_cast<int>(Encoding::Default) == PvmDataDefault);
static_assert(static_cast<int>(Encoding::Raw) == PvmDataRaw);
static_assert(static_cast<int>(Encoding::InPlace) == PvmDataInPlace);
static_assert(detail::TypeCode<char>::value == static_cast<int>(DataType::Byte));
static_assert(detail::TypeCode<short>::value == static_cast<int>(DataType::Short));
static_assert(detail::TypeCode<int>::value == static_cast<int>(DataType::Int));
static_assert(detail::TypeCode<float>::value == static_cast<int>(DataType::Float));
static_assert(detail::TypeCode<std::complex<float>>::value == static_cast<int>(DataType::Complex));
static_assert(detail::TypeCode<double>::value == static_cast<int>(DataType::Double));
static_assert(detail::TypeCode<std::complex<double>>::value == static_cast<int>(DataType::DoubleComplex));
static_assert(detail::TypeCode<long>::value == static_cast<int>(DataType::Long));
static_assert(detail::TypeCode<unsigned short>::value == static_cast<int>(DataType::UShort));
static_assert(detail::TypeCode<unsigned int>::value == static_cast<int>(DataType::UInt));
static_assert(detail::TypeCode<unsigned long>::value == static_cast<int>(DataType::ULong));
static_assert(sizeof(std::complex<float>) == 2 * sizeof(float) && sizeof(std::complex<double>) == 2 * sizeof(double));

namespace {

/// translated runs body, turning internal errors into PvmError. The code is also recorded
/// for pvm_perror, so programs mixing both APIs see one error state.
template <class Body>
auto translated(Body&& body) -> decltype(body()) {
    try {
        return body();
    } catch (const Error& e) {
        Session::instance().lastError = e.code();
        Session::instance().lastErrorContext = e.what();
        throw PvmError(e.code(), e.what());
    } catch (const PvmError&) {
        throw;
    } catch (const std::bad_alloc&) {
        throw;
    } catch (const std::exception& e) {
        // ZeroMQ and the like: the link to the daemon failed in a way the core did not name.
        throw PvmError(PvmSysErr, e.what());
    }
}

Session& session() { return Session::instance(); }

int checkedCount(std::size_t count) {
    PVM_REQUIRE(count <= static_cast<std::size_t>(INT_MAX), PvmBadParam, "too many items: " + std::to_string(count));
    return static_cast<int>(count);
}

int timeoutMs(std::chrono::milliseconds timeout) {
    if (timeout.count() <= 0) return 0;
    return timeout.count() > INT_MAX ? INT_MAX : static_cast<int>(timeout.count());
}

int spawnFlags(const SpawnWhere& where) {
    int flags = PvmTaskDefault;
    if (where.kind == SpawnWhere::Kind::Host) flags |= PvmTaskHost;
    if (where.kind == SpawnWhere::Kind::Arch) flags |= PvmTaskArch;
    if (where.complement) flags |= PvmHostCompl;
    if (where.debug) flags |= PvmTaskDebug;
    if (where.noParent) flags |= PvmNoSpawnParent;
    return flags;
}

std::vector<int> spawnTids(std::string_view file, std::span<const std::string> args, const SpawnWhere& where,
                           int count) {
    PVM_REQUIRE(!file.empty(), PvmBadParam, "no executable given");
    PVM_REQUIRE(count >= 1, PvmBadParam, "task count " + std::to_string(count));
    PVM_REQUIRE(where.kind == SpawnWhere::Kind::Anywhere || !where.name.empty(), PvmBadParam, "empty spawn place");
    SpawnRequest request;
    request.file = file;
    request.argv.assign(args.begin(), args.end());
    request.flags = spawnFlags(where);
    if (where.kind != SpawnWhere::Kind::Anywhere) request.where = where.name;
    request.count = count;
    std::vector<int> result = session().spawn(request);
    // The daemon answers one entry per task; a short answer means the rest never started.
    result.resize(static_cast<std::size_t>(count), PvmSysErr);
    return result;
}

}  // namespace

/// Access reaches the buffers inside Message and Received for the free functions below.
struct detail::Access {
    static Buffer& buffer(const Message& message);
    static Received receive(int id);
};

struct Message::Impl {
    Buffer buffer;
};

struct Received::Impl {
    Buffer buffer;
};

Buffer& detail::Access::buffer(const Message& message) {
    PVM_REQUIRE(message.impl_, PvmNoBuf, "message was moved from");
    return message.impl_->buffer;
}

Received detail::Access::receive(int id) {
    // The message leaves the buffer table at once: the Received owns it from here on.
    BufferTable& table = session().buffers();
    auto impl = std::make_unique<Received::Impl>(Received::Impl{std::move(table.get(id))});
    table.free(id);
    return Received(std::move(impl));
}

// Task.

Task::Task() {
    translated([&] {
        tid_ = session().tid();
        try {
            if (int p = session().parent(); p > 0) parent_ = p;  // not PvmParentNotSet
        } catch (const Error& e) {
            if (e.code() != PvmNoParent) throw;
        }
    });
    enrolled_ = true;
}

Task::~Task() {
    if (!enrolled_) return;
    try {
        session().exit();
    } catch (...) {
        // Leaving can only fail when the daemon is already gone, which leaves us anyway.
    }
}

Task::Task(Task&& other) noexcept
    : tid_(other.tid_), parent_(other.parent_), enrolled_(std::exchange(other.enrolled_, false)) {}

Task& Task::operator=(Task&& other) noexcept {
    if (this != &other) {
        // Both handles stand for the one enrollment of this process: only one may end it.
        bool enrolled = enrolled_ || other.enrolled_;
        tid_ = other.tid_;
        parent_ = other.parent_;
        enrolled_ = enrolled;
        other.enrolled_ = false;
    }
    return *this;
}

void Task::exit() {
    if (!enrolled_) return;
    enrolled_ = false;
    translated([] { session().exit(); });
}

// Spawning.

std::vector<int> spawn(std::string_view file, std::span<const std::string> args, SpawnWhere where, int count) {
    return translated([&] {
        std::vector<int> result = spawnTids(file, args, where, count);
        std::vector<int> started;
        for (int tid : result)
            if (tid > 0) started.push_back(tid);
        if (started.empty()) throw Error(result.front(), "spawn " + std::string(file));
        return started;
    });
}

std::vector<SpawnResult> trySpawn(std::string_view file, std::span<const std::string> args, SpawnWhere where,
                                  int count) {
    return translated([&] {
        std::vector<SpawnResult> results;
        for (int tid : spawnTids(file, args, where, count))
            results.push_back(tid > 0 ? SpawnResult{tid, 0} : SpawnResult{0, tid});
        return results;
    });
}

// Message.

Message::Message(Encoding encoding)
    : impl_(
          translated([&] { return std::make_unique<Impl>(Impl{Buffer(MessageBuffer(static_cast<int>(encoding)))}); })) {
}

Message::~Message() = default;
Message::Message(Message&&) noexcept = default;
Message& Message::operator=(Message&&) noexcept = default;

Encoding Message::encoding() const {
    return translated([&] { return static_cast<Encoding>(detail::Access::buffer(*this).body.encoding()); });
}

std::size_t Message::size() const {
    return translated([&] { return detail::Access::buffer(*this).body.size(); });
}

void Message::packItems(int type, const void* data, std::size_t count, bool copy) {
    translated([&] {
        MessageBuffer& body = detail::Access::buffer(*this).body;
        int n = checkedCount(count);
        if (copy)
            body.packCopied(static_cast<DataType>(type), data, n, 1);
        else
            body.pack(static_cast<DataType>(type), data, n, 1);
    });
}

Message& Message::pack(std::string_view text) {
    translated([&] {
        // The wire carries C strings: an embedded NUL would silently cut the text short.
        PVM_REQUIRE(text.find('\0') == std::string_view::npos, PvmBadParam, "string with a NUL character");
        detail::Access::buffer(*this).body.packString(std::string(text).c_str());
    });
    return *this;
}

// Received.

Received::Received(std::unique_ptr<Impl> impl)
    : impl_(std::move(impl)), src_(impl_->buffer.src), tag_(impl_->buffer.tag) {}

Received::~Received() = default;
Received::Received(Received&&) noexcept = default;
Received& Received::operator=(Received&&) noexcept = default;

std::size_t Received::size() const { return impl_ ? impl_->buffer.body.size() : 0; }

std::size_t Received::remaining() const { return impl_ ? impl_->buffer.body.remaining() : 0; }

Encoding Received::encoding() const {
    return translated([&] {
        PVM_REQUIRE(impl_, PvmNoBuf, "message was moved from");
        return static_cast<Encoding>(impl_->buffer.body.encoding());
    });
}

void Received::requireBytes(std::size_t count, std::size_t width) const {
    // Every type has its memory width on the wire in all encodings, so this is exact.
    translated([&] {
        PVM_REQUIRE(count <= remaining() / width, PvmNoData,
                    "unpack of " + std::to_string(count) + " items, " + std::to_string(remaining()) + " bytes left");
    });
}

void Received::unpackItems(int type, void* data, std::size_t count) {
    translated([&] {
        PVM_REQUIRE(impl_, PvmNoBuf, "message was moved from");
        impl_->buffer.body.unpack(static_cast<DataType>(type), data, checkedCount(count), 1);
    });
}

std::string Received::unpackString() {
    return translated([&] {
        PVM_REQUIRE(impl_, PvmNoBuf, "message was moved from");
        return impl_->buffer.body.unpackString();
    });
}

// Sending and receiving.

void send(int tid, int tag, const Message& message) {
    translated([&] {
        int dst[1] = {tid};
        session().sendBuffer(detail::Access::buffer(message), dst, tag);
    });
}

void multicast(std::span<const int> tids, int tag, const Message& message) {
    translated([&] {
        Session& s = session();
        // PVM never sends a multicast back to the sender.
        std::vector<int> dsts;
        for (int t : tids)
            if (t != s.tid()) dsts.push_back(t);
        s.sendBuffer(detail::Access::buffer(message), dsts, tag);
    });
}

Received recv(int tid, int tag) {
    return translated([&] { return detail::Access::receive(session().take(tid, tag, -1)); });
}

std::optional<Received> tryRecv(int tid, int tag) { return recvFor(std::chrono::milliseconds(0), tid, tag); }

std::optional<Received> recvFor(std::chrono::milliseconds timeout, int tid, int tag) {
    return translated([&]() -> std::optional<Received> {
        int id = session().take(tid, tag, timeoutMs(timeout));
        if (id == 0) return std::nullopt;
        return detail::Access::receive(id);
    });
}

// The virtual machine.

void kill(int tid) {
    translated([&] { session().kill(tid); });
}

std::vector<HostInfo> config() {
    return translated([] {
        std::vector<HostInfo> hosts;
        for (auto& h : session().config()) hosts.push_back({h.tid, h.name, h.arch, h.speed, h.dataSignature});
        return hosts;
    });
}

std::vector<TaskInfo> tasks(int where) {
    return translated([&] {
        std::vector<TaskInfo> list;
        for (auto& t : session().tasks(where)) list.push_back({t.tid, t.parent, t.hostTid, t.flags, t.name, t.pid});
        return list;
    });
}

std::vector<TaskUsage> tasksUsage(int where) {
    return translated([&] {
        std::vector<TaskUsage> list;
        for (auto& t : session().tasks(where, true)) list.push_back({t.tid, t.cpuMs, t.rssKb, t.sent, t.received});
        return list;
    });
}

void notifyTaskExit(std::span<const int> tids, int tag) {
    translated([&] {
        PVM_REQUIRE(tids.size() <= static_cast<std::size_t>(INT_MAX), PvmBadParam, "too many tids");
        session().notify(PvmTaskExit, tag, static_cast<int>(tids.size()), tids);
    });
}

void halt() {
    translated([] { session().halt(); });
}

}  // namespace pvm
