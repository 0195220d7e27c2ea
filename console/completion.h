// completion.h - what the console's Tab completes a word to, from the line before
// it: a command first, host names after add, delete, mstat and spawn's "-", a
// program after spawn. line_editor.cpp gets the names and hands them to readline.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace pvm::console {

enum class CompletionKind {
    Command,    // the first word: a console command
    NewHost,    // after add: a host of the machine, or readline's own file names
    Host,       // after delete or mstat: a host of the machine
    SpawnHost,  // after spawn, a word that starts with '-': "-" and a host of the machine
    Program,    // after spawn: a program spawn finds by name, or readline's own file names
    None,       // anything else: readline's own file names
};

/// completionKind says what the word that follows before (the line up to that word) completes to.
CompletionKind completionKind(std::string_view before, std::string_view word);

/// candidatesOf turns names of what kind completes to into the words offered ("-" before
/// each host for SpawnHost).
std::vector<std::string> candidatesOf(CompletionKind kind, const std::vector<std::string>& names);

/// matching keeps the candidates that begin with word, in their order.
std::vector<std::string> matching(const std::vector<std::string>& candidates, std::string_view word);

/// onlyThese is true when readline must not fall back to its file names for kind.
bool onlyThese(CompletionKind kind);

}  // namespace pvm::console
