// fuzz_console_args.cpp - the console's own command line (console/arguments.cpp): what
// `pvm ARGS` takes, and the lines naming what a running pvmd does not apply. The input is
// argv[1..], words separated by NUL.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "arguments.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::vector<std::string> words{"pvm"};
    std::string word;
    for (std::size_t i = 0; i < size; ++i) {
        if (data[i] == 0) {
            words.push_back(word);
            word.clear();
        } else {
            word += static_cast<char>(data[i]);
        }
    }
    words.push_back(word);
    std::vector<const char*> argv;
    for (const std::string& w : words) argv.push_back(w.c_str());
    pvm::console::ConsoleArguments parsed = pvm::console::parseArguments(static_cast<int>(argv.size()), argv.data());
    for (const std::string& line : pvm::console::ignoredArgumentWarnings(parsed.daemonArgs))
        if (line.rfind("pvm: pvmd already running: ", 0) != 0) __builtin_trap();
    return 0;
}
