// slurm_job_watch.cpp - squeue, asked about the master's job.
#include "slurm_job_watch.h"

#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "process_control.h"
#include "spawner.h"

namespace pvm {

SlurmJobWatch::SlurmJobWatch(std::string jobId, ProcessControl& processes, std::chrono::milliseconds every)
    : jobId_(std::move(jobId)), processes_(processes), every_(every), due_(std::chrono::steady_clock::now()) {}

SlurmJobWatch::~SlurmJobWatch() {
    if (pid_ > 0) processes_.signal(pid_, SIGKILL);
    finish();
}

SlurmJobWatch::State SlurmJobWatch::stateOf(const std::string& answer) {
    for (const char* running : {"RUNNING", "CONFIGURING", "SUSPENDED", "PENDING", "RESIZING"})
        if (answer.find(running) != std::string::npos) return State::Running;
    // Every other state of a job is an end, or the way to one (COMPLETING); a job no longer
    // in the controller's memory is "Invalid job id".
    for (const char* ended :
         {"COMPLET", "CANCELLED", "FAILED", "TIMEOUT", "PREEMPTED", "OUT_OF_MEMORY", "DEADLINE", "Invalid job id"})
        if (answer.find(ended) != std::string::npos) return State::Ended;
    return State::Unknown;
}

void SlurmJobWatch::tick(std::chrono::steady_clock::time_point now) {
    if (out_ >= 0 || now < due_) return;
    due_ = now + every_;
    int pipeFds[2];
    if (pipe2(pipeFds, O_CLOEXEC) != 0) return;
    int in = open("/dev/null", O_RDONLY | O_CLOEXEC);
    ExecArguments exec({"squeue", "--noheader", "--states=all", "--format=%T", "--jobs=" + jobId_}, {});
    int error = 0;
    pid_ = in >= 0 ? processes_.startCommand(exec, in, pipeFds[1], &error) : 0;
    if (in >= 0) close(in);
    close(pipeFds[1]);
    if (pid_ <= 0) {
        close(pipeFds[0]);
        return;
    }
    fcntl(pipeFds[0], F_SETFL, O_NONBLOCK);
    out_ = pipeFds[0];
    answer_.clear();
}

std::optional<SlurmJobWatch::State> SlurmJobWatch::onReadable() {
    char chunk[512];
    for (;;) {
        ssize_t n = read(out_, chunk, sizeof chunk);
        if (n > 0) {
            if (answer_.size() < 4096) answer_.append(chunk, static_cast<std::size_t>(n));
            continue;
        }
        if (n < 0 && (errno == EINTR)) continue;
        if (n < 0 && errno == EAGAIN) return std::nullopt;
        finish();
        return stateOf(answer_);
    }
}

int SlurmJobWatch::msUntilDue(std::chrono::steady_clock::time_point now) const {
    if (out_ >= 0) return -1;
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(due_ - now).count();
    return left < 0 ? 0 : static_cast<int>(left) + 1;
}

void SlurmJobWatch::finish() {
    if (out_ >= 0) close(out_);
    out_ = -1;
    if (pid_ > 0) waitpid(pid_, nullptr, 0);
    pid_ = 0;
}

}  // namespace pvm
