// completion.cpp - what the console's Tab completes a word to.
#include "completion.h"

namespace pvm::console {

CompletionKind completionKind(std::string_view before, std::string_view word) {
    std::size_t first = before.find_first_not_of(" \t");
    if (first == std::string_view::npos) return CompletionKind::Command;
    std::string_view command = before.substr(first, before.find_first_of(" \t", first) - first);
    if (command == "add") return CompletionKind::NewHost;
    if (command == "delete" || command == "mstat") return CompletionKind::Host;
    if (command == "spawn")
        return !word.empty() && word[0] == '-' ? CompletionKind::SpawnHost : CompletionKind::Program;
    return CompletionKind::None;
}

std::vector<std::string> candidatesOf(CompletionKind kind, const std::vector<std::string>& names) {
    if (kind != CompletionKind::SpawnHost) return names;
    std::vector<std::string> options;
    options.reserve(names.size());
    for (const std::string& name : names) options.push_back("-" + name);
    return options;
}

std::vector<std::string> matching(const std::vector<std::string>& candidates, std::string_view word) {
    std::vector<std::string> found;
    for (const std::string& c : candidates)
        if (std::string_view(c).substr(0, word.size()) == word) found.push_back(c);
    return found;
}

bool onlyThese(CompletionKind kind) {
    return kind == CompletionKind::Command || kind == CompletionKind::Host || kind == CompletionKind::SpawnHost;
}

}  // namespace pvm::console
