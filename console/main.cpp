// main.cpp - pvm, the console: starts a master pvmd when none runs, then reads
// commands. It is a Tcl interpreter with the `pvm` package and the commands of
// console.tcl, so every line is Tcl and every PVM console command line works.
//
//   pvm [-d mask] [-n name] [other pvmd options] [hostfile]
//
// With a terminal: readline editing, history in ~/.pvm_history, completion, and
// output of `spawn ->` jobs shown as it comes. Without one (a pipe, a file): no
// prompt and no banner; at the end of input it waits for its `spawn ->` jobs,
// then leaves as `quit` does.
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

#include <tcl.h>

#include "arguments.h"
#include "console_script.h"
#include "line_editor.h"
#include "pvm3.h"

extern "C" int Pvm_Init(Tcl_Interp* interp);

namespace {

std::string selfDir() {
    char path[4096];
    ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
    if (n <= 0) return ".";
    path[n] = '\0';
    std::string p = path;
    return p.substr(0, p.rfind('/'));
}

/// startDaemon runs the pvmd installed beside this console with args; it returns when the
/// daemon is ready (pvmd detaches only then).
bool startDaemon(const std::vector<std::string>& args) {
    std::string pvmd = selfDir() + "/pvmd";
    if (access(pvmd.c_str(), X_OK) != 0) pvmd = selfDir() + "/../pvmd/pvmd";  // build tree
    std::vector<std::string> store{"pvmd"};
    store.insert(store.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : store) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid = fork();
    if (pid == 0) {
        execv(pvmd.c_str(), argv.data());
        execvp("pvmd", argv.data());
        std::perror("pvm: cannot run pvmd");
        _exit(127);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/// Reader turns lines into Tcl commands: a command may go on over several lines.
struct Reader {
    Tcl_Interp* interp;
    std::string pending;

    /// feed takes one line; false once quit or halt has run.
    bool feed(const std::string& line) {
        pending += line;
        pending += '\n';
        if (!Tcl_CommandComplete(pending.c_str())) return true;
        std::string command;
        command.swap(pending);
        if (command.find_first_not_of(" \t\n") == std::string::npos) return true;
        int code = Tcl_Eval(interp, command.c_str());
        std::string result = Tcl_GetStringResult(interp);
        if (code == TCL_ERROR) {
            std::fflush(stdout);
            std::fprintf(stderr, "%s\n", result.c_str());
        } else if (!result.empty()) {
            pvm::console::LineEditor::print(result);
        }
        Tcl_ResetResult(interp);
        return !done();
    }
    bool continuing() const { return !pending.empty(); }
    bool done() const { return *Tcl_GetVar(interp, "::console::done", TCL_GLOBAL_ONLY) != '\0'; }
};

/// sourceRc runs ~/.pvmrc (aliases, setenv, ...) line by line, as PVM's console does.
void sourceRc(Reader& reader) {
    const char* home = std::getenv("HOME");
    if (!home) return;
    FILE* rc = std::fopen((std::string(home) + "/.pvmrc").c_str(), "r");
    if (!rc) return;
    char buffer[4096];
    while (std::fgets(buffer, sizeof buffer, rc)) {
        std::string line = buffer;
        while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
        if (!reader.feed(line)) break;
    }
    std::fclose(rc);
}

/// PipeInput feeds the lines of standard input (not a terminal) to the Reader from Tcl's event
/// loop, so that what jobs and callbacks print shows as it comes, also while no input line
/// does (a script that feeds the console through a fifo and waits for that output).
struct PipeInput {
    Reader& reader;
    std::string buffer;
    bool ended = false;  // end of input, or quit or halt ran

    void watch() { Tcl_CreateFileHandler(0, TCL_READABLE, onReadable, this); }

    static void onReadable(ClientData data, int) {
        auto* in = static_cast<PipeInput*>(data);
        char chunk[4096];
        ssize_t n = read(0, chunk, sizeof chunk);
        if (n < 0 && (errno == EINTR || errno == EAGAIN)) return;
        // A command may wait in the event loop (jobs -wait, reset): no input meanwhile.
        Tcl_DeleteFileHandler(0);
        if (n > 0) in->buffer.append(chunk, static_cast<std::size_t>(n));
        for (std::size_t nl; !in->ended && (nl = in->buffer.find('\n')) != std::string::npos;) {
            std::string line = in->buffer.substr(0, nl);
            in->buffer.erase(0, nl + 1);
            if (!in->reader.feed(line)) in->ended = true;
        }
        if (n <= 0) {
            if (!in->ended && !in->buffer.empty()) in->reader.feed(in->buffer);  // a last line without newline
            in->ended = true;
        }
        if (!in->ended) in->watch();
    }
};

void usage() {
    std::fprintf(stderr,
                 "usage: pvm [-d mask] [-n hostname] [pvmd options] [hostfile]\n"
                 "Starts a master pvmd with these arguments when none runs, then reads console\n"
                 "commands (type help) from the terminal or from standard input.\n");
}

}  // namespace

int main(int argc, char** argv) {
    pvm::console::ConsoleArguments arguments = pvm::console::parseArguments(argc, argv);
    if (arguments.help) {
        usage();
        return 0;
    }
    const std::vector<std::string>& daemonArgs = arguments.daemonArgs;
    bool interactive = isatty(0) && isatty(1);
    pvm_setopt(PvmAutoErr, 0);
    if (pvm_mytid() < 0) {
        if (!startDaemon(daemonArgs) || pvm_mytid() < 0) {
            std::fprintf(stderr, "pvm: cannot start or reach a pvmd\n");
            return 1;
        }
    } else {
        if (interactive) std::printf("pvmd already running.\n");
        for (const std::string& line : pvm::console::ignoredArgumentWarnings(daemonArgs))
            std::fprintf(stderr, "%s\n", line.c_str());
    }

    Tcl_FindExecutable(argv[0]);
    Tcl_Interp* interp = Tcl_CreateInterp();
    if (Tcl_Init(interp) != TCL_OK)  // only auto-loading and `package` need Tcl's library
        std::fprintf(stderr, "pvm: %s (Tcl's library; carrying on)\n", Tcl_GetStringResult(interp));
    if (Pvm_Init(interp) != TCL_OK) {
        std::fprintf(stderr, "pvm: %s\n", Tcl_GetStringResult(interp));
        return 1;
    }
    pvm::console::registerTerminalCommands(interp, interactive);
    if (Tcl_Eval(interp, pvm::console::kConsoleScript) != TCL_OK) {
        std::fprintf(stderr, "pvm: console.tcl: %s\n", Tcl_GetVar(interp, "errorInfo", TCL_GLOBAL_ONLY));
        return 1;
    }
    Reader reader{interp, {}};
    sourceRc(reader);
    if (!reader.done()) {
        if (interactive) {
            pvm::console::LineEditor editor(interp, [&](const std::string& line) {
                bool more = reader.feed(line);
                editor.setPrompt(reader.continuing() ? "> " : "pvm> ");
                return more;
            });
            editor.run();
        } else {
            PipeInput input{reader, {}};
            input.watch();
            while (!input.ended) Tcl_DoOneEvent(TCL_ALL_EVENTS);
            if (reader.continuing()) std::fprintf(stderr, "pvm: input ended inside a command\n");
            if (!reader.done()) Tcl_Eval(interp, "::console::waitJobs");
        }
    }
    bool halted = std::string(Tcl_GetVar(interp, "::console::done", TCL_GLOBAL_ONLY)) == "halt";
    Tcl_DeleteInterp(interp);
    if (!halted) pvm_exit();
    return 0;
}
