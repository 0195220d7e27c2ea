// fuzz_console_line.cpp - the console's command line: what a user types at `pvm>` (or pipes into
// the console), taken the way console/main.cpp's Reader takes it (lines joined until
// Tcl_CommandComplete, then split into commands and words by Tcl's parser), then handed to the
// console's own commands of console/*.tcl, which decode their arguments: tids (parseTid), the
// options of spawn (spawnOptions), ps, kill -c, trace, setopt and getopt (optionName), alias,
// help, jobs, top...
//
// The commands run in a Tcl interpreter with the console's script and console_stub.tcl, whose
// `pvm` answers as a small virtual machine would: no pvmd is started or reached. Unlike the
// console, which evaluates the line, variable and command substitutions stay as typed, and words
// that name no console command are not run: a line of Tcl could run anything (exec, an endless
// loop), which would say nothing about the console. A Tcl error is the console's answer to a
// bad line; only a crash or a sanitizer report is a finding.
//
// libFuzzer sees the coverage of compiled code only, and the console's commands are Tcl: each
// command of the console's script that runs also counts in a counter of its own (an extra
// counter, which libFuzzer reads as coverage), so an input that runs a new part of the
// script is kept.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <unordered_map>

#include <tcl.h>

#include "console_script.h"
#include "console_stub.h"

__attribute__((section("__libfuzzer_extra_counters"))) std::uint8_t gScriptCounters[8192];

namespace {
Tcl_Interp* gInterp = nullptr;

/// scriptSlot gives the counter of a command by its first line (at most 48 bytes), or -1 when
/// that text is not in the console's script (a command of the input, the stub's, Tcl's own).
int scriptSlot(const char* command) {
    static std::unordered_map<std::uint64_t, int> known;
    std::size_t length = 0;
    while (length < 48 && command[length] != '\0' && command[length] != '\n') ++length;
    std::uint64_t hash = 14695981039346656037ull;  // FNV-1a
    for (std::size_t i = 0; i < length; ++i) hash = (hash ^ static_cast<unsigned char>(command[i])) * 1099511628211ull;
    auto found = known.find(hash);
    if (found != known.end()) return found->second;
    if (known.size() > 100000) known.clear();  // the input's own commands pile up
    const char* script = pvm::console::kConsoleScript;
    bool inScript = length > 0 && memmem(script, std::strlen(script), command, length) != nullptr;
    int slot = inScript ? static_cast<int>(hash % sizeof gScriptCounters) : -1;
    known.emplace(hash, slot);
    return slot;
}

int traceCommand(ClientData, Tcl_Interp*, int, const char* command, Tcl_Command, int, Tcl_Obj* const[]) {
    int slot = scriptSlot(command);
    if (slot >= 0 && gScriptCounters[slot] < 255) ++gScriptCounters[slot];
    return TCL_OK;
}

// The terminal's commands of console/line_editor.cpp, with its checks of arguments: output goes
// nowhere, and top's wait for a key ends at once with q.
int cmdPrint(ClientData, Tcl_Interp* interp, int objc, Tcl_Obj* const objv[]) {
    if (objc != 2) {
        Tcl_WrongNumArgs(interp, 1, objv, "text");
        return TCL_ERROR;
    }
    return TCL_OK;
}

int cmdInteractive(ClientData, Tcl_Interp* interp, int, Tcl_Obj* const[]) {
    Tcl_SetObjResult(interp, Tcl_NewBooleanObj(1));
    return TCL_OK;
}

int cmdWaitkey(ClientData, Tcl_Interp* interp, int objc, Tcl_Obj* const objv[]) {
    int ms = 0;
    if (objc != 2 || Tcl_GetIntFromObj(interp, objv[1], &ms) != TCL_OK) {
        Tcl_WrongNumArgs(interp, 1, objv, "milliseconds");
        return TCL_ERROR;
    }
    Tcl_SetObjResult(interp, Tcl_NewStringObj("q", 1));
    return TCL_OK;
}

void evalOrDie(const char* script, const char* what) {
    if (Tcl_Eval(gInterp, script) == TCL_OK) return;
    std::fprintf(stderr, "fuzz_console_line: %s: %s\n", what, Tcl_GetVar(gInterp, "errorInfo", TCL_GLOBAL_ONLY));
    std::abort();
}

/// wordsOf gives the words of a parsed command as Tcl_Eval would pass them, except that
/// variable and command substitutions stay as typed; null when a {*} word is no list (Tcl
/// would not run the command either).
Tcl_Obj* wordsOf(const Tcl_Parse& parse) {
    Tcl_Obj* words = Tcl_NewListObj(0, nullptr);
    const Tcl_Token* token = parse.tokenPtr;
    for (int w = 0; w < parse.numWords; ++w) {
        Tcl_Obj* word = Tcl_NewObj();
        Tcl_IncrRefCount(word);
        for (int i = 1; i <= token->numComponents; ++i) {
            const Tcl_Token& part = token[i];
            if (part.type == TCL_TOKEN_BS) {
                char utf[16];  // one character: TCL_UTF_MAX, or four bytes for \U beyond the BMP
                int length = Tcl_UtfBackslash(part.start, nullptr, utf);
                Tcl_AppendToObj(word, utf, length);
            } else {
                Tcl_AppendToObj(word, part.start, part.size);
            }
            // A variable's name and index are its own components, already in its text.
            if (part.type == TCL_TOKEN_VARIABLE) i += part.numComponents;
        }
        bool ok = true;
        if (token->type == TCL_TOKEN_EXPAND_WORD) {
            int n = 0;
            Tcl_Obj** items = nullptr;
            ok = Tcl_ListObjGetElements(nullptr, word, &n, &items) == TCL_OK;
            for (int i = 0; ok && i < n; ++i) Tcl_ListObjAppendElement(nullptr, words, items[i]);
        } else {
            Tcl_ListObjAppendElement(nullptr, words, word);
        }
        Tcl_DecrRefCount(word);
        if (!ok) {
            Tcl_IncrRefCount(words);
            Tcl_DecrRefCount(words);
            return nullptr;
        }
        token += token->numComponents + 1;
    }
    return words;
}

/// runScript runs the commands of one complete chunk, as the console's Tcl_Eval would, up to
/// the first syntax error (where Tcl_Eval stops too).
void runScript(const std::string& script) {
    const char* at = script.c_str();
    const char* end = at + script.size();
    while (at < end) {
        Tcl_Parse parse;
        if (Tcl_ParseCommand(gInterp, at, static_cast<int>(end - at), 0, &parse) != TCL_OK) break;
        const char* next = parse.commandStart + parse.commandSize;
        Tcl_Obj* words = parse.numWords > 0 ? wordsOf(parse) : nullptr;
        Tcl_FreeParse(&parse);
        if (words) {
            Tcl_Obj* objv[2] = {Tcl_NewStringObj("::fuzz::run", -1), words};
            for (Tcl_Obj* o : objv) Tcl_IncrRefCount(o);
            Tcl_EvalObjv(gInterp, 2, objv, TCL_EVAL_GLOBAL);
            for (Tcl_Obj* o : objv) Tcl_DecrRefCount(o);
        }
        if (next <= at) break;
        at = next;
    }
    Tcl_ResetResult(gInterp);
}

bool done() { return *Tcl_GetVar(gInterp, "::console::done", TCL_GLOBAL_ONLY) != '\0'; }
}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char*** argv) {
    Tcl_FindExecutable((*argv)[0]);
    gInterp = Tcl_CreateInterp();
    // The console needs Tcl's library too: its script replaces Tcl's unknown.
    if (Tcl_Init(gInterp) != TCL_OK) {
        std::fprintf(stderr, "fuzz_console_line: Tcl's library: %s\n", Tcl_GetStringResult(gInterp));
        std::abort();
    }
    Tcl_CreateObjCommand(gInterp, "::console::print", cmdPrint, nullptr, nullptr);
    Tcl_CreateObjCommand(gInterp, "::console::interactive", cmdInteractive, nullptr, nullptr);
    Tcl_CreateObjCommand(gInterp, "::console::waitkey", cmdWaitkey, nullptr, nullptr);
    evalOrDie(pvm::console::kConsoleScript, "console.tcl");
    evalOrDie(pvm::fuzz::kConsoleStub, "console_stub.tcl");
    // Every command, also those Tcl would otherwise compile inline (set, if, incr...).
    Tcl_CreateObjTrace(gInterp, 0, 0, traceCommand, nullptr, nullptr);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    // The console hands Tcl C strings: a NUL ends what it sees.
    const char* text = reinterpret_cast<const char*>(data);
    const void* nul = std::memchr(text, '\0', size);
    std::string input(text, nul ? static_cast<const char*>(nul) - text : size);
    // Reader::feed: lines are joined until they make a complete command; a last line without a
    // newline counts too (PipeInput).
    std::string pending;
    for (std::size_t start = 0; start < input.size() && !done();) {
        std::size_t newline = input.find('\n', start);
        if (newline == std::string::npos) newline = input.size();
        pending.append(input, start, newline - start).push_back('\n');
        start = newline + 1;
        if (!Tcl_CommandComplete(pending.c_str())) continue;
        if (pending.find_first_not_of(" \t\n") != std::string::npos) runScript(pending);
        pending.clear();
    }
    if (Tcl_Eval(gInterp, "::fuzz::reset") != TCL_OK) {
        std::fprintf(stderr, "fuzz_console_line: reset: %s\n", Tcl_GetVar(gInterp, "errorInfo", TCL_GLOBAL_ONLY));
        std::abort();
    }
    return 0;
}
