// daemon_slurm.cpp - a master inside a Slurm job: its hosts are the job's nodes, started
// with srun, and the machine halts when the job ends (docs/slurm.md).
#include <algorithm>
#include <cstdlib>

#include "daemon.h"
#include "errors.h"

namespace pvm {

std::string Daemon::ownSlurmNode() const {
    // Slurm's own name for it in a step or a batch script, else the short host name.
    if (const char* node = std::getenv("SLURMD_NODENAME"); node && *node) return node;
    return hostName_.substr(0, hostName_.find('.'));
}

int Daemon::slurmSpeed(const std::string& node) const {
    return std::clamp(1000 * options_.slurm->cpusOn(node), 1000, kMaxHostSpeed);
}

std::vector<std::string> Daemon::srunPrefix(const HostSpec& spec) const {
    const char* srun = std::getenv("PVM_SRUN");
    // --overlap: the slave shares the job's CPUs with the user's own steps instead of taking
    // one; --unbuffered: its ready line reaches the master at once.
    return {srun && *srun ? srun : "srun",
            "--jobid=" + options_.slurm->jobId,
            "--nodelist=" + spec.name,
            "--nodes=1",
            "--ntasks=1",
            "--overlap",
            "--unbuffered",
            "--quiet",
            "--job-name=pvmd"};
}

void Daemon::startSlurmHosts() {
    const SlurmAllocation& job = *options_.slurm;
    std::string self = ownSlurmNode();
    log_.write("in Slurm job " + job.jobId + " (nodes " + job.nodeNames() + "): slaves start with srun");
    for (const std::string& node : job.nodes) {
        if (node == self) continue;
        HostSpec spec;
        spec.name = node;
        ++startingAtFirst_;
        startSlave(spec, [this, node](int result) {
            if (result < 0) log_.write("Slurm node " + node + " did not start: " + errorText(result));
            initialStartDone();
        });
    }
    // A master outside every step (started from salloc's shell) outlives the job unless it
    // asks: it halts once Slurm says the job has ended.
    slurmWatch_.emplace(job.jobId, processes_, std::max(options_.heartbeat, std::chrono::milliseconds(2000)));
}

void Daemon::initialStartDone() {
    if (--startingAtFirst_ != 0 || !started_) return;
    auto started = std::move(started_);
    started_ = nullptr;
    started();
}

void Daemon::onSlurmJobState(SlurmJobWatch::State state) {
    if (state != SlurmJobWatch::State::Ended) return;
    log_.write("Slurm job " + options_.slurm->jobId + " has ended; halting");
    shutdown(0);
}

}  // namespace pvm
