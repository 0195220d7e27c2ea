// peer_flow.h - flow control between daemons. Two bounds: at most a window of
// message bytes on their way to each host that it has not said it took (credit),
// and a daemon whose task does not read asks the daemons of the senders' hosts to
// hold that task's messages. Senders held back either way are paused, as a slow
// local reader pauses them, so a flood across hosts grows neither daemon.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "frame.h"

namespace pvm {

/// pauseOnce adds sender to paused unless it is empty (this daemon) or there already; true
/// when added, and the caller must then pause it.
bool pauseOnce(std::vector<std::string>& paused, const std::string& sender);

/// frameBytes is the size of a message's frames, as the window counts it.
std::uint64_t frameBytes(const std::vector<Frame>& frames);

/// PeerFlow holds both sides' bookkeeping; the daemon does the sending. Receiving side:
/// which hosts were asked to hold messages for which local task. Sending side: the
/// messages held for remote tasks, and the local senders paused because of them.
class PeerFlow {
public:
    /// limit is PVM_QUEUE_LIMIT: the bytes that may wait for one task, and the window.
    explicit PeerFlow(std::size_t limit) : limit_(limit) {}
    /// Released is what a window or a hold lets go: messages, in order, and senders to resume.
    struct Released {
        std::deque<std::vector<Frame>> messages;
        std::vector<std::string> senders;
    };

    // Receiving side.
    /// arrived notes a message from host for local task dst, which now has queued bytes
    /// waiting; true when host must be asked to hold dst's messages (once, until released).
    bool arrived(int host, int dst, std::size_t queued);
    /// asking is true while some host holds messages for a task here.
    bool asking() const { return !asked_.empty(); }
    /// releasable ends the holds on the tasks whose queue is down to half the limit (or
    /// that have gone): the (host, task) pairs to tell. queued(dst) gives the bytes that
    /// wait for dst, or -1 once it has gone.
    template <typename Queued>
    std::vector<std::pair<int, int>> releasable(Queued queued) {
        std::vector<std::pair<int, int>> out;
        for (auto it = asked_.begin(); it != asked_.end();) {
            long long bytes = queued(it->first);
            if (bytes >= 0 && static_cast<std::size_t>(bytes) > limit_ / 2) {
                ++it;
                continue;
            }
            for (int host : it->second) out.emplace_back(host, it->first);
            it = asked_.erase(it);
        }
        return out;
    }

    /// received counts bytes of messages taken from host; it gives the total to acknowledge
    /// when a quarter of a window has come since the last acknowledgement, else 0.
    std::uint64_t received(int host, std::uint64_t bytes);

    // Sending side: the window.
    /// mayPass is true when a message to host may go now: nothing waits and the window is open.
    bool mayPass(int host) const;
    /// sent counts bytes that went to host.
    void sent(int host, std::uint64_t bytes) { out_[host].sent += bytes; }
    /// wait queues frames for host until the window opens; true when sender (a connection,
    /// or empty for this daemon) must now be paused.
    bool wait(int host, std::vector<Frame>& frames, const std::string& sender);
    /// acknowledged takes host's word that it took total bytes: the messages that may go
    /// now, in order, already counted as sent (the caller sends them at once), and, once
    /// none waits, the senders to resume.
    Released acknowledged(int host, std::uint64_t total);

    // Sending side: holds for one task.
    /// hold starts holding messages for dst, a task of another host, as its daemon asked.
    void hold(int dst) { held_.try_emplace(dst); }
    /// holds is true while messages for dst are held.
    bool holds(int dst) const { return held_.contains(dst); }
    /// keep holds frames for dst, sent by the connection sender (empty: by this daemon);
    /// true when sender must now be paused: more than the limit is held and it was not yet.
    bool keep(int dst, std::vector<Frame>& frames, const std::string& sender);
    /// release ends the hold on dst.
    Released release(int dst);

    /// forgetHost ends both sides' bookkeeping for a host that has gone: what was held or
    /// waiting for it is dropped (their count is in dropped), the senders are to be resumed.
    Released forgetHost(int host, std::size_t& dropped);

private:
    struct Outbound {
        std::uint64_t sent = 0, acked = 0;
        std::deque<std::vector<Frame>> waiting;
        std::vector<std::string> paused;
    };
    struct Inbound {
        std::uint64_t received = 0, acked = 0;
    };
    struct Held {
        std::deque<std::vector<Frame>> messages;
        std::size_t bytes = 0;
        std::vector<std::string> paused;  // local senders stopped because of this hold
    };
    std::size_t limit_;
    std::map<int, std::set<int>> asked_;  // local task -> hosts asked to hold its messages
    std::map<int, Held> held_;            // remote task -> what waits for its daemon's word
    std::map<int, Outbound> out_;         // host -> the window of messages to it
    std::map<int, Inbound> in_;           // host -> what came from it
};

}  // namespace pvm
