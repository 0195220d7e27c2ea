// line_editor.cpp - readline on Tcl's event loop.
#include "line_editor.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <poll.h>
#include <set>
#include <termios.h>
#include <unistd.h>
#include <vector>

// readline.h wants stdio first.
#include <readline/history.h>
#include <readline/readline.h>
#include <tcl.h>

#include "completion.h"

namespace pvm::console {

namespace {
Tcl_Interp* gInterp = nullptr;
std::function<bool(const std::string&)> gOnLine;
bool gReading = false;  // a prompt is on the screen
bool gStop = false;
bool gInteractive = false;

/// tclList evaluates script and returns its result as a list of strings.
std::vector<std::string> tclList(const char* script) {
    std::vector<std::string> out;
    if (Tcl_Eval(gInterp, script) != TCL_OK) return out;
    int n = 0;
    Tcl_Obj** items = nullptr;
    if (Tcl_ListObjGetElements(nullptr, Tcl_GetObjResult(gInterp), &n, &items) != TCL_OK) return out;
    for (int i = 0; i < n; ++i) out.emplace_back(Tcl_GetString(items[i]));
    Tcl_ResetResult(gInterp);
    return out;
}

std::vector<std::string> gCandidates;  // the words that match, for nextCandidate

char* nextCandidate(const char*, int state) {
    static std::size_t index;
    if (state == 0) index = 0;
    return index < gCandidates.size() ? strdup(gCandidates[index++].c_str()) : nullptr;
}

/// programs lists the executables spawn would find by a bare name on this host.
std::vector<std::string> programs() {
    std::set<std::string> found;
    const char* home = std::getenv("HOME");
    const char* root = std::getenv("PVM_ROOT");
    const char* arch = std::getenv("PVM_ARCH");
    std::string a = arch && *arch ? arch : "LINUX64";
    std::vector<std::string> dirs;
    if (root && *root) dirs.push_back(std::string(root) + "/bin/" + a);
    if (home && *home) dirs.push_back(std::string(home) + "/pvm3/bin/" + a);
    for (const auto& d : dirs) {
        DIR* dir = opendir(d.c_str());
        if (!dir) continue;
        while (dirent* e = readdir(dir))
            if (e->d_name[0] != '.' && access((d + "/" + e->d_name).c_str(), X_OK) == 0) found.insert(e->d_name);
        closedir(dir);
    }
    return {found.begin(), found.end()};
}

char** complete(const char* text, int start, int) {
    CompletionKind kind = completionKind(std::string_view(rl_line_buffer, static_cast<std::size_t>(start)), text);
    std::vector<std::string> names;
    switch (kind) {
        case CompletionKind::Command:
            names = tclList("::console::commandNames");
            break;
        case CompletionKind::NewHost:
        case CompletionKind::Host:
        case CompletionKind::SpawnHost:
            names = tclList("lmap h [pvm config] {dict get $h name}");
            break;
        case CompletionKind::Program:
            names = programs();
            break;
        case CompletionKind::None:
            return nullptr;
    }
    gCandidates = matching(candidatesOf(kind, names), text);
    char** matches = rl_completion_matches(text, nextCandidate);
    // A spawn with no program of that name may name a file.
    rl_attempted_completion_over = onlyThese(kind) || (kind == CompletionKind::Program && matches);
    return matches;
}

void lineHandler(char* line) {
    if (!line) {  // Ctrl-D: as quit
        std::printf("\n");
        gStop = true;
        return;
    }
    std::string text = line;
    std::free(line);
    if (!text.empty()) add_history(text.c_str());
    gReading = false;
    if (!gOnLine(text)) gStop = true;
    gReading = true;
}

void onStdin(ClientData, int) { rl_callback_read_char(); }

int cmdPrint(ClientData, Tcl_Interp* interp, int objc, Tcl_Obj* const objv[]) {
    if (objc != 2) {
        Tcl_WrongNumArgs(interp, 1, objv, "text");
        return TCL_ERROR;
    }
    LineEditor::print(Tcl_GetString(objv[1]));
    return TCL_OK;
}

int cmdInteractive(ClientData, Tcl_Interp* interp, int, Tcl_Obj* const[]) {
    Tcl_SetObjResult(interp, Tcl_NewBooleanObj(gInteractive));
    return TCL_OK;
}

/// waitkey ms: a key pressed within ms milliseconds, or "". The terminal is raw meanwhile.
int cmdWaitkey(ClientData, Tcl_Interp* interp, int objc, Tcl_Obj* const objv[]) {
    int ms = 0;
    if (objc != 2 || Tcl_GetIntFromObj(interp, objv[1], &ms) != TCL_OK) {
        Tcl_WrongNumArgs(interp, 1, objv, "milliseconds");
        return TCL_ERROR;
    }
    termios saved{}, raw{};
    bool tty = tcgetattr(0, &saved) == 0;
    if (tty) {
        raw = saved;
        raw.c_lflag &= ~static_cast<tcflag_t>(ICANON | ECHO);
        raw.c_cc[VMIN] = 1;
        raw.c_cc[VTIME] = 0;
        tcsetattr(0, TCSANOW, &raw);
    }
    pollfd p{0, POLLIN, 0};
    char key = 0;
    bool got = poll(&p, 1, ms) > 0 && read(0, &key, 1) == 1;
    if (tty) tcsetattr(0, TCSANOW, &saved);
    Tcl_SetObjResult(interp, Tcl_NewStringObj(got ? &key : "", got ? 1 : 0));
    return TCL_OK;
}
}  // namespace

LineEditor::LineEditor(Tcl_Interp* interp, std::function<bool(const std::string&)> onLine) {
    gInterp = interp;
    gOnLine = std::move(onLine);
    const char* home = std::getenv("HOME");
    historyFile_ = std::string(home && *home ? home : ".") + "/.pvm_history";
    using_history();
    stifle_history(1000);
    read_history(historyFile_.c_str());
    rl_readline_name = "pvm";
    rl_attempted_completion_function = complete;
}

LineEditor::~LineEditor() {
    write_history(historyFile_.c_str());
    gInterp = nullptr;
}

void LineEditor::setPrompt(const std::string& prompt) { rl_set_prompt(prompt.c_str()); }

void LineEditor::run() {
    gStop = false;
    rl_callback_handler_install("pvm> ", lineHandler);
    gReading = true;
    Tcl_CreateFileHandler(0, TCL_READABLE, onStdin, nullptr);
    while (!gStop) Tcl_DoOneEvent(TCL_ALL_EVENTS);
    Tcl_DeleteFileHandler(0);
    gReading = false;
    rl_callback_handler_remove();
}

void LineEditor::print(const std::string& text) {
    if (!gReading) {
        std::printf("%s\n", text.c_str());
        std::fflush(stdout);
        return;
    }
    // Take the prompt and the half-typed line off the screen, print, and put them back.
    rl_clear_visible_line();
    std::printf("%s\n", text.c_str());
    std::fflush(stdout);
    rl_forced_update_display();
}

void registerTerminalCommands(Tcl_Interp* interp, bool interactive) {
    gInteractive = interactive;
    Tcl_CreateObjCommand(interp, "::console::print", cmdPrint, nullptr, nullptr);
    Tcl_CreateObjCommand(interp, "::console::interactive", cmdInteractive, nullptr, nullptr);
    Tcl_CreateObjCommand(interp, "::console::waitkey", cmdWaitkey, nullptr, nullptr);
}

}  // namespace pvm::console
