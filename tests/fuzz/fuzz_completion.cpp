// fuzz_completion.cpp - what the console's Tab completes a word to (console/completion.cpp),
// on a line as readline hands it over: the input is the line up to the cursor, whose last
// word (after readline's default word breaks) is the one completed. The names offered are
// a small machine's hosts and the console's commands; readline's own handling of its
// buffer is readline's.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "completion.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace pvm::console;
    std::string_view line(reinterpret_cast<const char*>(data), size);
    // rl_basic_word_break_characters
    std::size_t start = line.find_last_of(std::string_view(" \t\n\"\\'`@$><=;|&{(")) + 1;  // npos + 1 == 0
    std::string_view before = line.substr(0, start), word = line.substr(start);
    CompletionKind kind = completionKind(before, word);
    static const std::vector<std::string> hosts{"alpha", "beta", "node-1.lab", ""};
    static const std::vector<std::string> commands{"add", "alias", "conf", "delete", "spawn", "version"};
    const std::vector<std::string>& names = kind == CompletionKind::Command ? commands : hosts;
    std::vector<std::string> candidates = candidatesOf(kind, names);
    for (const std::string& found : matching(candidates, word))
        if (std::string_view(found).substr(0, word.size()) != word) __builtin_trap();
    (void)onlyThese(kind);
    return 0;
}
