// pvm/pvm.hpp - the modern C++ API of the parallel virtual machine.
//
// A task enrolls by making a pvm::Task, packs typed data into a pvm::Message, sends it,
// and reads what arrives as a pvm::Received. Failures throw pvm::PvmError carrying the
// PVM error code (the PvmBadParam... values of pvm3.h). Messages use the same encodings
// and wire format as the C API, so C and C++ tasks talk to each other freely.
//
// This header needs only the standard library; everything it declares lives in libpvm3.
#pragma once

#include <chrono>
#include <complex>
#include <concepts>
#include <cstddef>
#include <memory>
#include <optional>
#include <ranges>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace pvm {

/// PvmError is what every call of this API throws on failure; code() is the PVM error code.
class PvmError : public std::runtime_error {
public:
    PvmError(int code, const std::string& message) : std::runtime_error(message), code_(code) {}
    /// code is the negative PVM error code, e.g. PvmNoData (-5) of pvm3.h.
    int code() const noexcept { return code_; }

private:
    int code_;
};

/// Task is this process's membership of the virtual machine. Making one enrolls the process
/// (`pvm::Task self;`); destroying it leaves the machine unless it was moved from or exit()
/// was called. A process is one task: keep one Task for its whole life.
class Task {
public:
    /// Task enrolls with the local pvmd; throws PvmError (PvmSysErr) when none is running.
    Task();
    /// ~Task leaves the virtual machine, ignoring failures (the daemon may be gone).
    ~Task();
    Task(Task&& other) noexcept;
    Task& operator=(Task&& other) noexcept;
    Task(const Task&) = delete;
    Task& operator=(const Task&) = delete;

    /// tid is this task's id, e.g. 0x40001.
    int tid() const noexcept { return tid_; }
    /// parent is the tid of the task that spawned this one; nullopt if it was started by hand.
    std::optional<int> parent() const noexcept { return parent_; }
    /// enrolled is true until exit() or a move away.
    bool enrolled() const noexcept { return enrolled_; }
    /// exit leaves the virtual machine now (pvm_exit), after caught child output has ended.
    void exit();

private:
    int tid_ = 0;
    std::optional<int> parent_;
    bool enrolled_ = false;
};

/// SpawnWhere says where spawn starts tasks and with which options (pvm_spawn's flags/where).
struct SpawnWhere {
    /// Kind picks the host set: anywhere the pvmd likes, a named host, or an architecture.
    enum class Kind { Anywhere, Host, Arch };
    Kind kind = Kind::Anywhere;
    /// name is the host name or architecture name (e.g. "LINUX64"); empty for Anywhere.
    std::string name;
    /// complement spawns on any host except name (PvmHostCompl, with Kind::Host).
    bool complement = false;
    /// debug starts the tasks under the debugger (PvmTaskDebug).
    bool debug = false;
    /// noParent spawns tasks that have no parent (PvmNoSpawnParent).
    bool noParent = false;

    /// onHost spawns on host name.
    static SpawnWhere onHost(std::string host) { return {Kind::Host, std::move(host)}; }
    /// onArch spawns on hosts of architecture arch.
    static SpawnWhere onArch(std::string arch) { return {Kind::Arch, std::move(arch)}; }
};

/// SpawnResult is the outcome of one requested task: its tid, or the PVM error that stopped it.
struct SpawnResult {
    int tid = 0;
    int error = 0;
    bool started() const noexcept { return error == 0; }
};

/// spawn starts count copies of file with args and returns the tids of those started (maybe
/// fewer than count); throws PvmError when none started, with the first task's error code.
std::vector<int> spawn(std::string_view file, std::span<const std::string> args = {}, SpawnWhere where = {},
                       int count = 1);
/// trySpawn is spawn giving one result per requested task; it throws only when the request
/// itself fails (bad arguments, no daemon), not when tasks fail to start.
std::vector<SpawnResult> trySpawn(std::string_view file, std::span<const std::string> args = {}, SpawnWhere where = {},
                                  int count = 1);

/// Encoding is how a Message stores numbers: Default is big-endian and portable between
/// architectures, Raw is native order, InPlace is native and reads array data only at send.
/// The values are PvmDataDefault, PvmDataRaw and PvmDataInPlace.
enum class Encoding { Default = 0, Raw = 1, InPlace = 2 };

namespace detail {
/// TypeCode maps a packable C++ type to its PVM data type number (PVM_BYTE ... PVM_ULONG);
/// types without a specialization cannot be packed.
template <class T>
struct TypeCode;
template <>
struct TypeCode<char> : std::integral_constant<int, 1> {};
template <>
struct TypeCode<signed char> : std::integral_constant<int, 1> {};
template <>
struct TypeCode<unsigned char> : std::integral_constant<int, 1> {};
template <>
struct TypeCode<std::byte> : std::integral_constant<int, 1> {};
template <>
struct TypeCode<short> : std::integral_constant<int, 2> {};
template <>
struct TypeCode<int> : std::integral_constant<int, 3> {};
template <>
struct TypeCode<float> : std::integral_constant<int, 4> {};
template <>
struct TypeCode<std::complex<float>> : std::integral_constant<int, 5> {};
template <>
struct TypeCode<double> : std::integral_constant<int, 6> {};
template <>
struct TypeCode<std::complex<double>> : std::integral_constant<int, 7> {};
template <>
struct TypeCode<long> : std::integral_constant<int, 8> {};
template <>
struct TypeCode<unsigned short> : std::integral_constant<int, 9> {};
template <>
struct TypeCode<unsigned int> : std::integral_constant<int, 10> {};
template <>
struct TypeCode<unsigned long> : std::integral_constant<int, 11> {};

struct Access;
}  // namespace detail

/// Packable is a type with a PVM wire representation: the integer types of pvm_pkint and
/// friends, float, double, their complex forms, and single bytes.
template <class T>
concept Packable = requires {
    detail::TypeCode<std::remove_cv_t<T>>::value;
};

/// PackableRange is a contiguous sequence of Packable items that is not a string (strings
/// are packed with their length by pack(std::string_view)).
template <class R>
concept PackableRange = std::ranges::contiguous_range<const R> && std::ranges::sized_range<const R> &&
    Packable<std::ranges::range_value_t<const R>> && !std::convertible_to<const R&, std::string_view>;

/// Message is a send buffer: typed data packed in order, sent by send() or multicast() as
/// often as wanted. It owns its buffer; it can be moved, not copied.
///
/// With Encoding::InPlace, arrays packed from spans are read from the caller's memory when
/// the message is sent, so they must stay alive and unchanged until then; scalars are copied.
class Message {
public:
    /// Message makes an empty message.
    explicit Message(Encoding encoding = Encoding::Default);
    ~Message();
    Message(Message&& other) noexcept;
    Message& operator=(Message&& other) noexcept;
    Message(const Message&) = delete;
    Message& operator=(const Message&) = delete;

    Encoding encoding() const;
    /// size is the number of bytes packed so far.
    std::size_t size() const;

    /// pack appends the items of a span, e.g. pack(std::span<const double>(v)).
    template <Packable T>
    Message& pack(std::span<const T> items) {
        packItems(detail::TypeCode<std::remove_cv_t<T>>::value, items.data(), items.size(), false);
        return *this;
    }
    /// pack appends every item of a contiguous range (vector, array, span).
    template <PackableRange R>
    Message& pack(const R& items) {
        using T = std::ranges::range_value_t<const R>;
        return pack(std::span<const T>(std::ranges::data(items), std::ranges::size(items)));
    }
    /// pack appends one value (copied, whatever the encoding).
    template <Packable T>
    Message& pack(const T& value) {
        packItems(detail::TypeCode<std::remove_cv_t<T>>::value, &value, 1, true);
        return *this;
    }
    /// pack appends a string as pvm_pkstr does; PvmBadParam if it holds a NUL character,
    /// PvmNotImpl with Encoding::InPlace (as PVM).
    Message& pack(std::string_view text);

    /// operator<< packs one value or a string: msg << 42 << 3.5 << "name".
    template <Packable T>
    Message& operator<<(const T& value) {
        return pack(value);
    }
    Message& operator<<(std::string_view text) { return pack(text); }

private:
    void packItems(int type, const void* data, std::size_t count, bool copy);

    struct Impl;
    std::unique_ptr<Impl> impl_;
    friend struct detail::Access;
};

/// Received is a message taken from the task's queue by recv(), with its source and tag.
/// Items are unpacked in the order they were packed. It owns its buffer; it can be moved,
/// not copied. Unpacking past the end throws PvmError(PvmNoData) and consumes nothing.
class Received {
public:
    ~Received();
    Received(Received&& other) noexcept;
    Received& operator=(Received&& other) noexcept;
    Received(const Received&) = delete;
    Received& operator=(const Received&) = delete;

    /// src is the sender's tid (a pvmd's tid for notifications).
    int src() const noexcept { return src_; }
    int tag() const noexcept { return tag_; }
    /// size is the number of bytes in the message body.
    std::size_t size() const;
    /// remaining is the number of body bytes not yet unpacked.
    std::size_t remaining() const;
    Encoding encoding() const;

    /// unpack reads n items of T.
    template <Packable T>
    std::vector<T> unpack(std::size_t n) {
        requireBytes(n, sizeof(T));  // before allocating: n may come from the message itself
        std::vector<T> items(n);
        unpackItems(detail::TypeCode<T>::value, items.data(), n);
        return items;
    }
    /// unpack reads one item of T.
    template <Packable T>
    T unpack() {
        T value{};
        unpackItems(detail::TypeCode<T>::value, &value, 1);
        return value;
    }
    /// unpackInto fills out with the next out.size() items.
    template <Packable T>
    void unpackInto(std::span<T> out) {
        unpackItems(detail::TypeCode<std::remove_cv_t<T>>::value, out.data(), out.size());
    }
    /// unpackString reads a string packed by pack(std::string_view) or pvm_pkstr.
    std::string unpackString();

    /// operator>> unpacks one value or a string: msg >> n >> x >> name.
    template <Packable T>
    Received& operator>>(T& value) {
        value = unpack<T>();
        return *this;
    }
    Received& operator>>(std::string& text) {
        text = unpackString();
        return *this;
    }

private:
    struct Impl;
    explicit Received(std::unique_ptr<Impl> impl);
    void unpackItems(int type, void* data, std::size_t count);
    void requireBytes(std::size_t count, std::size_t width) const;

    std::unique_ptr<Impl> impl_;
    int src_ = 0;
    int tag_ = 0;
    friend struct detail::Access;
};

/// send sends message to task tid with tag (>= 0).
void send(int tid, int tag, const Message& message);
/// multicast sends message to every task of tids except the caller, as pvm_mcast does.
void multicast(std::span<const int> tids, int tag, const Message& message);

/// recv waits for a message from tid with tag (-1 matches any) and takes it from the queue.
Received recv(int tid = -1, int tag = -1);
/// tryRecv takes a matching message if one has arrived, without waiting (pvm_nrecv).
std::optional<Received> tryRecv(int tid = -1, int tag = -1);
/// recvFor waits up to timeout for a matching message (pvm_trecv); nullopt on time-out.
std::optional<Received> recvFor(std::chrono::milliseconds timeout, int tid = -1, int tag = -1);

/// kill ends task tid (pvm_kill).
void kill(int tid);

/// HostInfo is one host of the virtual machine.
struct HostInfo {
    int tid = 0;  // the tid of the host's pvmd
    std::string name;
    std::string arch;
    int speed = 0;
    int dataSignature = 0;
};
/// config lists the hosts of the virtual machine (pvm_config).
std::vector<HostInfo> config();

/// TaskInfo is one task of the virtual machine.
struct TaskInfo {
    int tid = 0;
    int parent = 0;   // 0 when the task was not spawned
    int hostTid = 0;  // the tid of the pvmd of its host
    int flags = 0;
    std::string name;
    int pid = 0;
};
/// tasks lists the tasks of the virtual machine (where 0), of one host (a pvmd tid) or one
/// task (its tid), as pvm_tasks does.
std::vector<TaskInfo> tasks(int where = 0);

/// TaskUsage is what one task has used so far, as the Tcl binding's `pvm tasks` shows it.
struct TaskUsage {
    int tid = 0;
    long long cpuMs = 0;  // CPU time, user and system
    long long rssKb = 0;  // resident memory
    /// messagesSent counts the packets it sent through its daemon: a pvm_mcast to many
    /// tasks is one. Messages over the direct routes do not pass the daemon.
    long long messagesSent = 0;
    long long messagesReceived = 0;  // messages its daemon delivered to it
};
/// tasksUsage lists the tasks of where, as tasks does, with what each has used.
std::vector<TaskUsage> tasksUsage(int where = 0);

/// notifyTaskExit asks for a message with tag, holding the task's tid as one int, when each
/// of tids exits (pvm_notify with PvmTaskExit); it comes even if the task is already gone.
void notifyTaskExit(std::span<const int> tids, int tag);

/// halt stops every task and daemon of the virtual machine except the caller, which leaves it.
void halt();

}  // namespace pvm
