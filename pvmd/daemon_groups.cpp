// daemon_groups.cpp - the group server's requests. The master holds the groups;
// other daemons forward to it (as for the mailbox) and report their members' exits.
#include "daemon.h"
#include "errors.h"
#include "pvm3.h"
#include "tid.h"

namespace pvm {

void Daemon::handleGroup(const Requester& who, const wire::GroupCall::Reader& call) {
    if (forwardToMaster(who, [&](wire::Request::Builder r) { r.setGroup(call); })) return;
    std::string name = call.getName().cStr();
    std::vector<Release> released;
    int result = 0;
    switch (call.getOp()) {
        case wire::GroupOp::JOIN:
            result = groups_.join(name, who.tid);
            break;
        case wire::GroupOp::LEAVE:
            result = groups_.leave(name, who.tid, &released);
            break;
        case wire::GroupOp::SIZE:
            result = groups_.size(name);
            break;
        case wire::GroupOp::INSTANCE:
            result = groups_.instance(name, call.getTid());
            break;
        case wire::GroupOp::TID_OF:
            result = groups_.tidOf(name, call.getNumber());
            break;
        case wire::GroupOp::MEMBERS: {
            std::vector<int> tids;
            result = groups_.members(name, &tids);
            if (result == 0)
                return respond(who, [&](wire::Reply::Builder r) {
                    auto list = r.initTids(static_cast<unsigned>(tids.size()));
                    for (unsigned i = 0; i < tids.size(); ++i) list.set(i, tids[i]);
                    r.setGroupFrozen(groups_.frozen(name));
                });
            break;
        }
        case wire::GroupOp::LIST: {
            auto states = groups_.list();
            return respond(who, [&](wire::Reply::Builder r) {
                auto list = r.initGroupStates(static_cast<unsigned>(states.size()));
                for (unsigned i = 0; i < states.size(); ++i) {
                    list[i].setName(states[i].name);
                    auto tids = list[i].initTids(static_cast<unsigned>(states[i].tids.size()));
                    for (unsigned k = 0; k < states[i].tids.size(); ++k) tids.set(k, states[i].tids[k]);
                    list[i].setBarrierCount(states[i].barrierCount);
                    list[i].setBarrierReached(states[i].barrierReached);
                }
            });
        }
        case wire::GroupOp::BARRIER:
        case wire::GroupOp::FREEZE: {
            // The answer comes when enough members have arrived.
            unsigned token = nextGroupToken_++;
            groupWaiters_[token] = who;
            GroupWaiter w{who.tid, token};
            result = call.getOp() == wire::GroupOp::BARRIER ? groups_.barrier(name, call.getNumber(), w, &released)
                                                            : groups_.freeze(name, call.getNumber(), w, &released);
            if (result < 0) {
                groupWaiters_.erase(token);
                break;
            }
            releaseGroupWaiters(released);
            return;
        }
    }
    releaseGroupWaiters(released);
    if (result < 0) return respondError(who, result, "group " + name);
    respond(who, [&](wire::Reply::Builder r) {
        r.setValue(result);
        r.setGroupFrozen(groups_.frozen(name));  // the task may keep it from now on
    });
}

void Daemon::releaseGroupWaiters(const std::vector<Release>& released) {
    for (const Release& r : released)
        for (const GroupWaiter& w : r.waiters) {
            auto it = groupWaiters_.find(w.token);
            if (it == groupWaiters_.end()) continue;
            Requester who = it->second;
            groupWaiters_.erase(it);
            if (r.result < 0)
                respondError(who, r.result, "group barrier");
            else
                respond(who, [&r](wire::Reply::Builder reply) { reply.setValue(r.result); });
        }
}

void Daemon::groupMemberGone(int tid) {
    std::vector<Release> released;
    groups_.memberExited(tid, &released);
    std::erase_if(groupWaiters_, [tid](const auto& entry) { return entry.second.tid == tid; });
    releaseGroupWaiters(released);
}

}  // namespace pvm
