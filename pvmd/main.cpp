// main.cpp - pvmd: start the daemon of this host, detach, and report readiness,
// so that when `pvmd` returns the virtual machine is ready to use.
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

#include "daemon.h"
#include "errors.h"

namespace {

void usage() {
    std::fprintf(stderr,
                 "usage: pvmd [-f] [-n hostname] [-d debugmask]\n"
                 "  -f            stay in the foreground (do not detach)\n"
                 "  -n hostname   name this host reports in pvm_config\n"
                 "  -d mask       debug mask (logged, for compatibility)\n");
}

/// runDaemon starts and serves; it reports start-up to readyFd ("ok" or the error text).
int runDaemon(const pvm::DaemonOptions& options, int readyFd) {
    auto report = [&](const std::string& text) {
        if (readyFd < 0) {
            if (text != "ok") std::fprintf(stderr, "pvmd: %s\n", text.c_str());
            return;
        }
        ssize_t ignored = write(readyFd, text.data(), text.size());
        (void)ignored;
        close(readyFd);
    };
    try {
        pvm::Daemon daemon(options);
        daemon.start();
        report("ok");
        daemon.run();
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
    int opt;
    while ((opt = getopt(argc, argv, "fn:d:h")) != -1) {
        switch (opt) {
            case 'f':
                foreground = true;
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
    if (optind < argc) {
        std::fprintf(stderr, "pvmd: hostfiles are not supported yet (multi-host virtual machines come later)\n");
        return 2;
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
    if (answer == "ok") return 0;
    std::fprintf(stderr, "pvmd: %s\n", answer.empty() ? "daemon died during start-up" : answer.c_str());
    waitpid(pid, nullptr, 0);
    return 1;
}
