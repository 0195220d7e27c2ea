// daemon_hosts.cpp - adding and deleting hosts: the master starts slave pvmds
// through $PVM_RSH and keeps the host table every daemon copies.
#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon.h"
#include "errors.h"
#include "paths.h"
#include "pvm3.h"
#include "spawner.h"
#include "tid.h"

namespace pvm {

namespace {
/// shellWord quotes s for the remote shell that ssh hands the command to, so that ep= paths
/// keep their $PVM_ARCH for the slave's own expansion.
std::string shellWord(const std::string& s) {
    if (!s.empty() && s.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_/.:=,+-@%") ==
                          std::string::npos)
        return s;
    std::string out = "'";
    for (char ch : s) out += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
    return out + "'";
}

std::string loginName() {
    const passwd* pw = getpwuid(getuid());
    return pw ? pw->pw_name : std::to_string(getuid());
}
}  // namespace

Host* Daemon::hostByName(const std::string& name) {
    if (Host* h = hosts_.findByName(name)) return h;
    return isLocalHostName(name) ? hosts_.find(myHost()) : nullptr;
}

std::string Daemon::ownAddress() {
    // A slave is reached at the address of its peer endpoint; the master at its name.
    const Host* me = hosts_.find(myHost());
    if (!me || me->endpoint.empty()) return hostName_;
    std::string address = me->endpoint.substr(me->endpoint.find("//") + 2);
    return address.substr(0, address.rfind(':'));
}

HostSpec Daemon::addDefaults(const std::string& line) const {
    // As in PVM: the hostfile's last '*' options apply to later adds, and a host the
    // hostfile named on an '&' line comes with the options given there.
    std::string name = line.substr(0, line.find_first_of(" \t"));
    if (const HostSpec* remembered = findHost(options_.hostfile, name); remembered && remembered->deferred) {
        HostSpec defaults = *remembered;
        defaults.deferred = false;
        return defaults;
    }
    return options_.hostfile.defaults;
}

void Daemon::handleAddHosts(const Requester& who, const capnp::List<capnp::Text>::Reader& lines) {
    if (!isMaster())
        return forwardFor(who, 1, [&](wire::Request::Builder r) {
            auto list = r.initAddHosts(lines.size());
            for (unsigned i = 0; i < lines.size(); ++i) list.set(i, lines[i]);
        });
    // One part per host, +1 until every start is under way.
    auto gather = std::make_shared<ResultGather>(
        ResultGather{who, std::vector<int>(lines.size(), PvmBadParam), static_cast<int>(lines.size()) + 1, false});
    auto finishOne = [this, gather]() { partDone(gather); };
    std::vector<std::string> batch;
    for (unsigned i = 0; i < lines.size(); ++i) {
        HostSpec spec;
        try {
            spec = parseHostSpec(lines[i].cStr(), addDefaults(lines[i].cStr()));
        } catch (const Error& e) {
            log_.write(std::string("add host: ") + e.what());
            gather->results[i] = PvmBadParam;
            finishOne();
            continue;
        }
        bool duplicate = hostByName(spec.name) != nullptr;
        for (const auto& [number, s] : starting_) duplicate |= s.spec.name == spec.name;
        for (const auto& b : batch) duplicate |= b == spec.name;
        if (duplicate) {
            gather->results[i] = PvmDupHost;
            finishOne();
            continue;
        }
        batch.push_back(spec.name);
        startSlave(spec, [gather, i, finishOne](int result) {
            gather->results[i] = result;
            finishOne();
        });
    }
    finishOne();
}

void Daemon::startSlave(const HostSpec& spec, std::function<void(int)> done) {
    int number = hosts_.freeNumber();
    for (int n = number; n && starting_.count(n); ++n) number = n + 1;  // numbers of starts under way are taken
    if (number == 0 || number > kMaxHosts) return done(PvmOutOfRes);
    // Inside a Slurm job, srun starts slaves on the job's nodes, and only there.
    bool bySlurm = options_.slurm && !spec.manualStart && !spec.askPassword;
    if (bySlurm && !options_.slurm->has(spec.name)) {
        log_.write("cannot add host " + spec.name + ": not one of Slurm job " + options_.slurm->jobId + "'s nodes (" +
                   options_.slurm->nodeNames() + ")");
        return done(PvmNoHost);
    }
    std::vector<std::string> command;
    if (bySlurm) {
        command = srunPrefix(spec);
    } else {
        const char* rsh = std::getenv("PVM_RSH");
        command = {rsh && *rsh ? rsh : "ssh", spec.address.empty() ? spec.name : spec.address};
        if (!spec.login.empty()) command.insert(command.end(), {"-l", spec.login});
    }
    auto pvmdAt = static_cast<std::ptrdiff_t>(command.size());
    command.push_back(spec.daemonPath.empty() ? ownExecutable() : spec.daemonPath);
    command.insert(command.end(),
                   {"--slave", std::to_string(number), "-n", spec.name, "-H",
                    std::to_string(options_.heartbeat.count()), "-T", std::to_string(options_.hostTimeout.count())});
    if (bySlurm) command.push_back("-f");  // a step ends when its process does: no detaching
    // The host's own options travel to its daemon: where it finds programs, where tasks start,
    // its speed (no need to measure; in a Slurm job, 1000 per allocated CPU) and its debugger.
    int speed = spec.speed > 0 ? spec.speed : bySlurm ? slurmSpeed(spec.name) : 0;
    const std::pair<const char*, std::string> hostOptions[] = {{"-e", spec.executablePath},
                                                               {"-w", spec.workDir},
                                                               {"-s", speed > 0 ? std::to_string(speed) : ""},
                                                               {"-x", spec.debuggerPath}};
    // srun passes words as they are; rsh and ssh hand them to a shell.
    for (const auto& [flag, value] : hostOptions)
        if (!value.empty()) command.insert(command.end(), {flag, bySlurm ? value : shellWord(value)});
    starting_[number] = {spec, std::move(done)};
    try {
        if (spec.manualStart)
            awaitManualStart(number, spec, std::vector<std::string>(command.begin() + pvmdAt, command.end()));
        else if (spec.askPassword)
            startWithPassword(number, spec, command);
        else
            starter_.start(number, command, slaveKeys() + "\n");
        log_.write("starting host " + spec.name + " as " + formatTid(daemonTid(number)) + " with " +
                   (spec.manualStart ? "a manual start" : command[0]));
    } catch (const Error& e) {
        auto callback = std::move(starting_[number].done);
        starting_.erase(number);
        log_.write("cannot start host " + spec.name + ": " + e.what());
        callback(PvmCantStart);
    }
}

void Daemon::awaitManualStart(int number, const HostSpec& spec, const std::vector<std::string>& pvmdCommand) {
    // so=ms: a person starts the slave by hand and types its answer back, as in PVM. The
    // pvmd has no terminal, so the instructions go to the log and the answer into a FIFO.
    std::string fifo = userDir() + "/manual." + spec.name;
    starter_.awaitAnswer(number, fifo, options_.manualTimeout);
    std::string line = "echo '" + slaveKeys() + "' |";
    for (const auto& word : pvmdCommand) line += " " + word;
    log_.write(
        "*** Manual startup ***\nLogin to \"" + spec.name + "\"" + (spec.login.empty() ? "" : " as " + spec.login) +
        " and type:\n" + line + "\nThen write the line it answers (pvmd-slave-ready ...) into " + fifo + " within " +
        std::to_string(options_.manualTimeout.count() / 1000) + " s, e.g.\necho '" + kSlaveReady + " ...' > " + fifo);
}

void Daemon::startWithPassword(int number, const HostSpec& spec, const std::vector<std::string>& command) {
    // so=pw: ssh asks its SSH_ASKPASS program for the password. Ours reads it from a FIFO that
    // the person writes into, because a detached pvmd has no terminal to prompt on.
    std::string base = userDir() + "/password." + spec.name;
    std::string fifo = base + ".fifo", script = base + ".askpass";
    unlink(fifo.c_str());
    unlink(script.c_str());
    if (mkfifo(fifo.c_str(), 0600) != 0) throw Error(PvmSysErr, "cannot make " + fifo);
    std::ofstream(script) << "#!/bin/sh\nread -r answer < '" << fifo << "' && printf '%s\\n' \"$answer\"\n";
    if (chmod(script.c_str(), 0700) != 0) {
        unlink(fifo.c_str());
        throw Error(PvmSysErr, "cannot make " + script);
    }
    starter_.start(number, command, slaveKeys() + "\n",
                   {"SSH_ASKPASS=" + script, "SSH_ASKPASS_REQUIRE=force", "DISPLAY=:pvm"}, options_.manualTimeout,
                   {fifo, script});
    log_.write("Password (" + spec.name + ":" + (spec.login.empty() ? loginName() : spec.login) + "): write it into " +
               fifo + " within " + std::to_string(options_.manualTimeout.count() / 1000) +
               " s, e.g. with: read -rs p && echo \"$p\" > " + fifo);
}

void Daemon::onSlaveResult(const SlaveResult& r) {
    auto it = starting_.find(r.hostNumber);
    if (it == starting_.end()) return;
    Starting starting = std::move(it->second);
    starting_.erase(it);
    const HostSpec& spec = starting.spec;
    if (r.error) {
        log_.write("host " + spec.name + " did not start: " + r.message);
        return starting.done(r.error);
    }
    Host h;
    h.number = r.hostNumber;
    h.name = spec.name;
    h.arch = r.arch;
    h.speed = spec.speed > 0 ? spec.speed : r.speed;
    h.endpoint = "tcp://" + (spec.address.empty() ? spec.name : spec.address) + ":" + std::to_string(r.port);
    h.publicKey = r.publicKey;
    hosts_.add(h);
    peers_->connect(h);
    broadcastHostTable();
    log_.write("host " + h.name + " (" + formatTid(daemonTid(h.number)) + ") added at " + h.endpoint);
    notifyHostsAdded({daemonTid(h.number)});
    starting.done(daemonTid(h.number));
}

void Daemon::handleDelHosts(const Requester& who, const capnp::List<capnp::Text>::Reader& names) {
    if (!isMaster())
        return forwardFor(who, 1, [&](wire::Request::Builder r) {
            auto list = r.initDelHosts(names.size());
            for (unsigned i = 0; i < names.size(); ++i) list.set(i, names[i]);
        });
    std::vector<int> results;
    for (auto name : names) {
        Host* h = hostByName(name.cStr());
        if (!h || h->number == myHost()) {
            results.push_back(PvmNoHost);  // the master cannot delete itself: that is halt
            continue;
        }
        deleteHost(h->number, "deleted by " + formatTid(who.tid));
        results.push_back(0);
    }
    respond(who, [&](wire::Reply::Builder r) {
        auto list = r.initResults(static_cast<unsigned>(results.size()));
        for (unsigned i = 0; i < results.size(); ++i) list.set(i, results[i]);
    });
}

void Daemon::deleteHost(int number, const std::string& why) {
    sendPeer(number, [](wire::PeerPacket::Builder p) { p.setHalt(0); });  // if it still listens
    hostGone(number, why);
    int dtid = daemonTid(number);
    for (Host* h : hosts_.all())
        if (h->number != myHost()) sendPeer(h->number, [&](wire::PeerPacket::Builder p) { p.setHostDeleted(dtid); });
    broadcastHostTable();
}

}  // namespace pvm
