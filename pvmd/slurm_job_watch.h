// slurm_job_watch.h - a master inside a Slurm job asks Slurm every few seconds whether
// its job still runs (squeue), without blocking its loop: when the job ends, Slurm ends
// the slaves' steps, and the master, which may run outside any step, halts itself.
#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace pvm {

class ProcessControl;

class SlurmJobWatch {
public:
    enum class State {
        Running,
        Ended,    // finished, cancelled, timed out, or gone from Slurm's memory
        Unknown,  // Slurm did not say (its controller unreachable, say): asked again later
    };
    SlurmJobWatch(std::string jobId, ProcessControl& processes, std::chrono::milliseconds every);
    ~SlurmJobWatch();
    SlurmJobWatch(const SlurmJobWatch&) = delete;
    SlurmJobWatch& operator=(const SlurmJobWatch&) = delete;

    /// tick starts a query when one is due and none runs.
    void tick(std::chrono::steady_clock::time_point now);
    /// fd is the descriptor to poll while a query runs, else -1.
    int fd() const { return out_; }
    /// onReadable reads the running query's answer; its state once the answer is complete.
    std::optional<State> onReadable();
    /// msUntilDue is the time until the next query, or -1 while one runs.
    int msUntilDue(std::chrono::steady_clock::time_point now) const;
    /// stateOf reads squeue's answer ("RUNNING", "CANCELLED", an error...).
    static State stateOf(const std::string& answer);

private:
    void finish();

    std::string jobId_;
    ProcessControl& processes_;
    std::chrono::milliseconds every_;
    std::chrono::steady_clock::time_point due_;
    int out_ = -1;
    int pid_ = 0;
    std::string answer_;
};

}  // namespace pvm
