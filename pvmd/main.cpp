// main.cpp - pvmd: start the daemon of this host, detach, and report readiness,
// so that when `pvmd` returns the virtual machine is ready to use.
#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

#include "daemon.h"
#include "errors.h"
#include "slurm_allocation.h"
#include "hostfile.h"
#include "paths.h"
#include "pvmd_options.h"
#include "tid.h"

namespace {

void usage() {
    std::fprintf(
        stderr,
        "usage: pvmd [-f] [-n hostname] [-d debugmask] [-H ms] [-T ms] [-S ms] [-M ms] [--no-slurm] [hostfile]\n"
        "  -f            stay in the foreground (do not detach)\n"
        "  -n hostname   name this host reports in pvm_config\n"
        "  -d mask       debug mask (logged, for compatibility)\n"
        "  -H ms         heartbeat interval between daemons (default 1000)\n"
        "  -T ms         silence after which a host counts as dead (default 5000)\n"
        "  -S ms         time a new slave has to start (default 30000)\n"
        "  -M ms         time a person has to answer for so=ms and so=pw hosts (default 600000)\n"
        "  -s speed      relative speed of this host (default: measured at start)\n"
        "  --no-slurm    inside a Slurm job, start no slaves on its nodes (as PVM_SLURM=off)\n"
        "  -e path       where spawn looks for programs (':' separated, like ep=)\n"
        "  -w dir        where tasks start (like wd=; default $HOME)\n"
        "  -x path       debugger for tasks spawned with PvmTaskDebug (like bx=)\n"
        "  hostfile      hosts to start, in the format of PVM's hostfile (man pvmd3)\n"
        "Environment: PVM_QUEUE_LIMIT=bytes waiting for one task before its senders are\n"
        "  slowed down (default 16777216).\n"
        "A master started this way starts slaves with: pvmd --slave N -n NAME (keys on stdin).\n");
}

/// printReadyLine tells the master, on the start-up channel, where this slave listens;
/// started is the daemon's "ok PORT SPEED KEY".
void printReadyLine(const std::string& started) {
    std::istringstream said(started.substr(3));
    int port = 0, speed = 0;
    std::string publicKey;
    said >> port >> speed >> publicKey;
    std::printf("pvmd-slave-ready %d %s %d %s\n", port, pvm::archName(), speed, publicKey.c_str());
    std::fflush(stdout);
}

/// runDaemon starts and serves; it reports start-up to readyFd ("ok" or the error text), or
/// in the foreground itself (a slave under srun, which must not detach from its step).
int runDaemon(const pvm::DaemonOptions& options, int readyFd) {
    auto report = [&](const std::string& text) {
        if (readyFd < 0) {
            if (text.rfind("ok", 0) != 0)
                std::fprintf(stderr, "pvmd: %s\n", text.c_str());
            else if (options.slave)
                printReadyLine(text);
            return;
        }
        ssize_t ignored = write(readyFd, text.data(), text.size());
        (void)ignored;
        close(readyFd);
    };
    try {
        pvm::Daemon daemon(options, pvm::systemProcesses());
        daemon.start();
        std::string ok =
            "ok " + std::to_string(daemon.peerPort()) + " " + std::to_string(daemon.speed()) + " " + daemon.publicKey();
        daemon.run([&] { report(ok); });
        return 0;
    } catch (const pvm::Error& e) {
        report(e.what());
    } catch (const std::exception& e) {
        report(std::string("cannot start: ") + e.what());
    }
    return 1;
}

}  // namespace

int main(int argc, char** argv) {
    pvm::DaemonOptions options;
    bool foreground = false;
    if (argc > 2 && std::strcmp(argv[1], "--slave") == 0) {
        options.slave = true;
        options.hostNumber = std::atoi(argv[2]);
        if (options.hostNumber < 2 || options.hostNumber > pvm::kMaxHosts) {
            std::fprintf(stderr, "pvmd: bad host number %s\n", argv[2]);
            return 2;
        }
        argv[2] = argv[0];  // getopt continues after "--slave N"
        argc -= 2;
        argv += 2;
    }
    // --no-slurm, anywhere: a master inside a Slurm job uses $PVM_RSH as outside one.
    bool noSlurm = false;
    for (int i = 1; i < argc; ++i)
        if (std::strcmp(argv[i], "--no-slurm") == 0) {
            noSlurm = true;
            for (int j = i; j < argc; ++j) argv[j] = argv[j + 1];
            --argc;
            break;
        }
    if (const char* limit = std::getenv("PVM_QUEUE_LIMIT"); limit && *limit)
        options.queueLimit = std::max(4096LL, std::strtoll(limit, nullptr, 10));
    int opt;
    while ((opt = getopt(argc, argv, pvm::kPvmdOptions)) != -1) {
        switch (opt) {
            case 'f':
                foreground = true;
                break;
            case 'H':
                options.heartbeat = std::chrono::milliseconds(std::max(10L, std::strtol(optarg, nullptr, 10)));
                break;
            case 'T':
                options.hostTimeout = std::chrono::milliseconds(std::max(50L, std::strtol(optarg, nullptr, 10)));
                break;
            case 'S':
                options.startTimeout = std::chrono::milliseconds(std::max(100L, std::strtol(optarg, nullptr, 10)));
                break;
            case 'M':
                options.manualTimeout = std::chrono::milliseconds(std::max(100L, std::strtol(optarg, nullptr, 10)));
                break;
            case 'b':
                options.bindAddress = optarg;
                break;
            case 'e':
                options.executablePath = optarg;
                break;
            case 'w':
                options.workDir = optarg;
                break;
            case 'x':
                options.debuggerPath = optarg;
                break;
            case 's':
                options.speed = static_cast<int>(std::strtol(optarg, nullptr, 10));
                break;
            case 'n':
                options.hostName = optarg;
                break;
            case 'd':
                options.debugMask = static_cast<int>(std::strtol(optarg, nullptr, 0));
                break;
            case 'h':
                usage();
                return 0;
            default:
                usage();
                return 2;
        }
    }
    if (options.slave) {
        // The machine's keys come on the start-up channel, never on the command line.
        std::string keys;
        int c;
        while ((c = std::getchar()) != EOF && c != '\n') keys += static_cast<char>(c);
        options.keys = keys;
    } else if (optind < argc) {
        try {
            options.hostfile = pvm::readHostfile(argv[optind]);
        } catch (const pvm::Error& e) {
            std::fprintf(stderr, "pvmd: %s\n", e.what());
            return 2;
        }
    }
    // Inside a Slurm job the machine is the job's nodes, unless a hostfile or $PVM_RSH says
    // otherwise.
    const char* rsh = std::getenv("PVM_RSH");
    if (!options.slave && !noSlurm && options.hostfile.hosts.empty() && !(rsh && *rsh)) {
        try {
            options.slurm = pvm::slurmAllocation();
        } catch (const pvm::Error& e) {
            std::fprintf(stderr, "pvmd: %s; Slurm not used\n", e.what());
        }
    }
    // Signals are taken through a signalfd: block them before any thread exists.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGHUP);
    sigprocmask(SIG_BLOCK, &signals, nullptr);

    if (foreground) return runDaemon(options, -1);

    int ready[2];
    if (pipe2(ready, O_CLOEXEC) != 0) {
        std::perror("pvmd: pipe");
        return 1;
    }
    pid_t pid = fork();
    if (pid < 0) {
        std::perror("pvmd: fork");
        return 1;
    }
    if (pid == 0) {
        close(ready[0]);
        setsid();
        int devnull = open("/dev/null", O_RDWR);
        if (devnull >= 0) {
            dup2(devnull, 0);
            dup2(devnull, 1);
            dup2(devnull, 2);
            if (devnull > 2) close(devnull);
        }
        _exit(runDaemon(options, ready[1]));
    }
    close(ready[1]);
    std::string answer;
    char chunk[512];
    ssize_t n;
    while ((n = read(ready[0], chunk, sizeof chunk)) > 0 || (n < 0 && errno == EINTR))
        if (n > 0) answer.append(chunk, static_cast<std::size_t>(n));
    if (answer.rfind("ok", 0) == 0) {
        // A slave tells its master where it listens, on the start-up channel.
        if (options.slave) printReadyLine(answer);
        return 0;
    }
    std::fprintf(stderr, "pvmd: %s\n", answer.empty() ? "daemon died during start-up" : answer.c_str());
    waitpid(pid, nullptr, 0);
    return 1;
}
